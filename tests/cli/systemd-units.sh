#!/bin/sh
# contrib/systemd: the user units pass `systemd-analyze verify` (as user
# units, ExecStart the mailclerk of this build), run what they say, and the
# units make builds have the installed bindir filled in.
. "$top_srcdir/tests/lib.sh"
command -v systemd-analyze >/dev/null 2>&1 ||
	skip_all 'systemd-analyze is not installed (Debian package systemd)'
plan 10
SRC="$top_srcdir/contrib/systemd"
mkdir -p "$TMP/units" "$TMP/run"
chmod 700 "$TMP/run"
for f in mailclerk-watch.service mailclerk-ingest.service; do
	sed "s|@bindir@|$top_builddir|g" "$SRC/$f.in" > "$TMP/units/$f"
done
cp "$SRC/mailclerk-ingest.timer" "$TMP/units/"
# verify VERIFY-ARGS...: what systemd-analyze verify says of the user units,
# then its status. --man=no: the man page is not installed yet.
verify() {
	(cd "$TMP/units" && XDG_RUNTIME_DIR="$TMP/run" systemd-analyze verify --user --man=no "$@" 2>&1)
	echo "rc=$?"
}
check_eq 'systemd-analyze verify: mailclerk-watch.service' "$(verify mailclerk-watch.service)" 'rc=0'
check_eq '... mailclerk-ingest.service' "$(verify mailclerk-ingest.service)" 'rc=0'
check_eq '... mailclerk-ingest.timer' "$(verify mailclerk-ingest.timer)" 'rc=0'
# The same verify finds a misspelt key: it is no check that always passes.
sed 's/^PrivateTmp=/PrivatTmp=/' "$TMP/units/mailclerk-watch.service" > "$TMP/units/misspelt.service"
check 'a misspelt key is reported by the same verify' sh -c 'printf "%s\n" "$1" | grep -q "Unknown key .PrivatTmp."' - "$(verify misspelt.service)"
rm "$TMP/units/misspelt.service"
check_eq 'the watch service runs mailclerk watch, and restarts on failure after a delay' \
	"$(grep -E '^(ExecStart|Restart|RestartSec)=' "$TMP/units/mailclerk-watch.service")" \
	"ExecStart=$top_builddir/mailclerk watch
Restart=on-failure
RestartSec=30s"
check_eq 'the ingest service is one mailclerk ingest' \
	"$(grep -E '^(Type|ExecStart)=' "$TMP/units/mailclerk-ingest.service")" \
	"Type=oneshot
ExecStart=$top_builddir/mailclerk ingest"
check_eq 'the timer: every 15 minutes, missed runs made up' \
	"$(grep -E '^(OnCalendar|Persistent)=' "$TMP/units/mailclerk-ingest.timer")" \
	'OnCalendar=*:0/15
Persistent=true'
check_eq 'systemd reads the timer as every 15 minutes' \
	"$(systemd-analyze calendar '*:0/15' | sed -n 's/^ *Normalized form: //p')" '*-*-* *:00/15:00'
# The units make built, for make install: the configured bindir, absolute.
built="$top_builddir/contrib/systemd"
if [ -f "$built/mailclerk-watch.service" ]; then
	check 'the built watch service runs an absolute .../mailclerk watch' \
		grep -Eq '^ExecStart=/([^@ ]*/)?mailclerk watch$' "$built/mailclerk-watch.service"
	check 'the built ingest service runs an absolute .../mailclerk ingest' \
		grep -Eq '^ExecStart=/([^@ ]*/)?mailclerk ingest$' "$built/mailclerk-ingest.service"
else
	skip 'the built watch service' 'configured --without-systemduserunitdir'
	skip 'the built ingest service' 'configured --without-systemduserunitdir'
fi
