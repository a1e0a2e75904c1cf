#!/bin/sh
# IMAP sources against a real Dovecot (tests/imap/dovecot.sh starts one on
# free ports under $TMP) and against hostile fakes (tests/imap/*.py).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/imap/dovecot.sh"
dovecot_available || skip_all "dovecot is not installed (contrib/bootstrap.sh installs it)"
plan 68
dovecot_start || { echo "Bail out! dovecot did not start"; exit 1; }

# config NAME KEY=VALUE...: a [source NAME] of type imap for alice, appended.
config() {
	_name=$1
	shift
	printf '[source %s]\ntype = imap\nhost = localhost\nuser = alice\nca_file = %s\n' "$_name" "$CA_FILE"
	for kv in "$@"; do printf '%s\n' "$kv" | sed 's/=/ = /'; done
}
logins() { grep -c 'Login: user=<alice>' "$DOVECOT_LOG"; }
fetched() { sed -n 's/^imap: [^:]*: \([0-9]*\) new messages\{0,1\} fetched.*/\1/p'; }

export MAILCLERK_PASSWORD_WORK=secret-pw
dovecot_seed_many INBOX 5 >/dev/null
dovecot_seed_many Archive/2023 3 >/dev/null
dovecot_seed_many Archive/2024 2 >/dev/null
dovecot_seed_many Other 4 >/dev/null
config work "port=$IMAPS_PORT" "folders=INBOX; Archive/*" > "$TMP/config"

out=$(mc ingest 2>&1)
check_eq 'IMAPS with ca_file: INBOX and the Archive/* glob fetched and indexed' "$out" \
"imap: work: 10 new messages fetched from 3 folders
ingest: 10 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped, in $(printf '%s' "$out" | sed -n 's/.* in \([0-9.]*\) s .*/\1/p') s ($(printf '%s' "$out" | sed -n 's/.*s (\([0-9]*\) messages.*/\1/p') messages/s)"
check_eq 'folders as the server names them, the source as configured' \
	"$(mc count folder:INBOX) $(mc count folder:Archive/2023) $(mc count 'folder:Archive/*') $(mc count source:work) $(mc count folder:Other)" "5 3 5 10 0"
check_eq 'a seeded word finds its message' "$(mc search --format=json seedword4 | jq -r '.[].message_id' | sort | tr '\n' ' ')" \
	"seed-4.1@dovecot.test "
check_eq 'nothing was marked read on the server (BODY.PEEK, EXAMINE)' \
	"$(dovecot_flags INBOX | cut -f2 | sort -u) $(dovecot_flags Archive/2023 | cut -f2 | sort -u)" "- -"
check_eq 'INTERNALDATE is the stored file time' \
	"$(stat -c %Y "$TMP"/store/imap/=work/=INBOX/cur/* | sort -u | wc -l | tr -d ' ')" \
	"$(dovecot_doveadm fetch -u alice date.received mailbox INBOX | sort -u | grep -c date)"
check_eq 'unread on the server: stored without Maildir flags' \
	"$(ls "$TMP/store/imap/=work/=INBOX/cur" | grep -c ':2,$')" 5

# Incremental: only new mail; a second run with nothing new fetches nothing.
dovecot_seed_many INBOX 2 >/dev/null
check_eq 'the next run fetches only the new messages' "$(mc ingest 2>&1 | fetched)" 2
check_eq '... and indexes them' "$(mc count '*')" 12
check_eq 'a run with nothing new fetches nothing' "$(mc ingest 2>&1 | fetched)" 0

# Several accounts in one run; one by name.
mkdir "$TMP/two"
DB="$TMP/two/index.db" # the store is beside the index: its own
{ config work "port=$IMAPS_PORT" "folders=Archive/2023"; config home "port=$IMAP_PORT" "tls=starttls" "folders=Other"; } > "$TMP/config"
export MAILCLERK_PASSWORD_HOME=secret-pw
check_eq 'two sources in one run' "$(mc ingest 2>&1 | grep '^imap:')" "imap: work: 3 new messages fetched from 1 folder
imap: home: 4 new messages fetched from 1 folder"
check_eq '... each under its name' "$(mc count source:work) $(mc count source:home)" "3 4"
dovecot_seed_many Other 1 >/dev/null
check_eq 'ingest NAME: only that source' "$(mc ingest home 2>&1 | grep '^imap:')" "imap: home: 1 new message fetched from 1 folder"

# A folder name that is not ASCII: modified UTF-7 on the wire, UTF-8 in the
# config and in mailclerk.
mkdir "$TMP/utf7"
DB="$TMP/utf7/index.db"
dovecot_seed_many 'Entwürfe' 2 >/dev/null
config work "port=$IMAPS_PORT" "folders=Entwürfe" > "$TMP/config"
check_eq 'a non-ASCII folder by its name' "$(mc ingest 2>&1 | fetched) $(mc count 'folder:Entwürfe')" "2 2"
config work "port=$IMAPS_PORT" "folders=Entw*" > "$TMP/config"
rm -f "$DB"*
check_eq '... and by a pattern' "$(mc ingest 2>&1 | fetched) $(mc search --format=json '*' | jq -r '.[0].folders[0]')" "2 Entwürfe"

DB="$TMP/index.db"
config work "port=$IMAPS_PORT" "folders=INBOX; Archive/*" > "$TMP/config"

# Flags as the server had them when fetched.
dovecot_seed_many INBOX 1 >/dev/null
uid=$(dovecot_flags INBOX | tail -n 1 | cut -f1)
dovecot_doveadm flags add -u alice '\Seen \Flagged \Answered' mailbox INBOX uid "$uid"
mc ingest >/dev/null 2>&1
check_eq '\Seen \Flagged \Answered become the Maildir flags FRS' \
	"$(ls "$TMP"/store/imap/=work/=INBOX/cur/ | grep "_$uid.mailclerk" | sed 's/.*:2,//')" FRS

# Flags changed on the server later: the next run asks for them (FETCH
# FLAGS, still read-only) and renames the stored files, which the index
# sees as Maildir renames. Dovecot offers CONDSTORE: only the flags changed
# since the folder's HIGHESTMODSEQ, recorded at each run, are asked for.
# file_of UID: the INBOX store file of UID; mid_of UID: its Message-ID.
file_of() { ls "$TMP"/store/imap/=work/=INBOX/cur/ | grep "^[0-9]*_$1\.mailclerk:2,"; }
flags_of() { file_of "$1" | sed 's/.*:2,//'; }
mid_of() { sed -n 's/^Message-ID: <\([^>]*\)>.*/\1/p' "$TMP/store/imap/=work/=INBOX/cur/$(file_of "$1")"; }
modseq() { sqlite3 "$DB" "SELECT modseq FROM imap_folders WHERE folder = 'INBOX'"; }
imap_line() { printf '%s\n' "$1" | grep '^imap:'; }
renamed() { printf '%s\n' "$1" | sed -n 's/^ingest: .* \([0-9]*\) renamed.*/\1/p'; }
set -- $(dovecot_flags INBOX | cut -f1 | head -n 4)
u1=$1 u2=$2 u3=$3 u4=$4
check_eq "CONDSTORE: the folder's HIGHESTMODSEQ is recorded" "$(modseq)" "$(dovecot_highestmodseq INBOX)"
dovecot_doveadm flags add -u alice '\Flagged' mailbox INBOX uid "$u1"
dovecot_doveadm flags add -u alice '\Seen \Answered' mailbox INBOX uid "$u2"
out=$(mc ingest 2>&1)
check_eq 'flags set on the server: the stored files renamed, nothing fetched' \
	"$(imap_line "$out") $(flags_of "$u1") $(flags_of "$u2") $(renamed "$out")" \
	"imap: work: 0 new messages fetched from 3 folders, flags changed on 2 F RS 2"
check_eq '... which queries see' \
	"$(mc count is:flagged "id:$(mid_of "$u1")") $(mc count is:read is:replied "id:$(mid_of "$u2")") $(mc count is:unread "id:$(mid_of "$u2")")" "1 1 0"
check_eq '... and the HIGHESTMODSEQ moves on' "$(modseq)" "$(dovecot_highestmodseq INBOX)"
out=$(mc ingest 2>&1)
check_eq 'nothing changed on the server: nothing renamed' "$(imap_line "$out") $(renamed "$out")" \
	"imap: work: 0 new messages fetched from 3 folders 0"
# A store file whose name disagrees with the server (made so here) shows
# what is asked: with CHANGEDSINCE only the message changed on the server
# comes back, so the other name stays as it is.
mv "$TMP/store/imap/=work/=INBOX/cur/$(file_of "$u3")" "$TMP/store/imap/=work/=INBOX/cur/$(file_of "$u3")T"
dovecot_doveadm flags remove -u alice '\Flagged' mailbox INBOX uid "$u1"
out=$(mc ingest 2>&1)
check_eq 'CHANGEDSINCE: only flags changed on the server since are asked for' \
	"$(imap_line "$out") $(flags_of "$u1")- $(flags_of "$u3")" \
	"imap: work: 0 new messages fetched from 3 folders, flags changed on 1 - T"
# Without CONDSTORE (Dovecot told to offer less): the flags of every stored
# message, each run; no HIGHESTMODSEQ kept.
dovecot_imap_capability 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN'
dovecot_doveadm flags add -u alice '\Draft' mailbox INBOX uid "$u4"
out=$(mc ingest 2>&1)
check_eq 'no CONDSTORE: UID FETCH 1:N (FLAGS) puts every name right' \
	"$(imap_line "$out") $(flags_of "$u3")- $(flags_of "$u4") $(modseq)" \
	"imap: work: 0 new messages fetched from 3 folders, flags changed on 2 - D 0"
check_eq '... is:draft finds it; no flag was changed on the server by any of this' \
	"$(mc count is:draft "id:$(mid_of "$u4")") $(dovecot_flags INBOX | head -n 4 | cut -f2 | tr '\n' ' ')" \
	'1 - \Answered \Seen - \Draft '
dovecot_imap_capability

# UIDVALIDITY changes: the folder is fetched again, the index has no doubles.
before=$(mc count '*')
old=$(dovecot_uidvalidity INBOX)
new=$(dovecot_reset_uidvalidity INBOX)
check 'the UIDVALIDITY changed' test "$old" != "$new"
check_eq 'a changed UIDVALIDITY fetches the folder again' "$(mc ingest 2>&1 | fetched)" 8
check_eq '... and dedupe keeps doubles out of the index' "$(mc count '*')" "$before"
check_eq '... every message has one copy per UIDVALIDITY in the store' \
	"$(mc search --format=json seedword1 | jq -r '[.[] | select(.message_id == "seed-1.1@dovecot.test") | .files | length] | .[0]')" 2

# Mail deleted on the server stays: this is an archive.
n=$(mc count '*')
dovecot_doveadm expunge -u alice mailbox Archive/2024 all
check_eq 'mail expunged on the server stays in the store and the index' \
	"$(mc ingest >/dev/null 2>&1; mc count '*') $(dovecot_count Archive/2024) $(mc count folder:Archive/2024)" "$n 0 2"

# The password is nowhere but in memory.
check_eq 'the password is not in the index, the store or the config' \
	"$(grep -rl secret-pw "$TMP"/index.db* "$TMP/store" "$TMP/config" 2>/dev/null | wc -l | tr -d ' ')" 0

# password_command; a wrong password.
unset MAILCLERK_PASSWORD_WORK
config cmd "port=$IMAPS_PORT" "password_command=printf 'secret-pw\\nsecond line'" > "$TMP/config"
check_eq 'password_command: the first line of its output' "$(mc ingest 2>&1 | fetched)" 8
config cmd "port=$IMAPS_PORT" "password_command=echo wrong-pw" > "$TMP/config"
out=$(mc ingest 2>&1); rc=$?
check_eq 'a wrong password: one clear line with the server words, exit 1' \
	"$(printf '%s\n' "$out" | grep '^mailclerk: localhost'; echo "rc=$rc")" \
	"mailclerk: localhost: login as alice: the server said: Authentication failed.
rc=1"
check_eq 'and the password is never printed' "$(printf '%s' "$out" | grep -c wrong-pw)" 0
config cmd "port=$IMAPS_PORT" "password_command=exit 3" > "$TMP/config"
check_eq 'a failing password_command is said' "$(mc ingest 2>&1 | grep '^mailclerk: source')" \
	"mailclerk: source 'cmd': password_command: Child process exited with code 3"
config nopw "port=$IMAPS_PORT" > "$TMP/config"
check_eq 'no password at all is said' "$(mc ingest 2>&1 | grep '^mailclerk: source')" \
	"mailclerk: source 'nopw': no password: set password_command, or MAILCLERK_PASSWORD_NOPW in the environment"
export MAILCLERK_PASSWORD_WORK=secret-pw

# STARTTLS, plaintext, LOGINDISABLED.
DB="$TMP/starttls.db"
config work "port=$IMAP_PORT" "tls=starttls" > "$TMP/config"
check_eq 'STARTTLS with ca_file' "$(mc ingest 2>&1 | fetched)" 8
DB="$TMP/plain.db"
config work "port=$IMAP_PORT" "tls=none" > "$TMP/config"
out=$(mc ingest 2>&1)
check_eq 'tls = none works where the server allows it, with a warning' \
	"$(printf '%s\n' "$out" | fetched) $(printf '%s\n' "$out" | grep -c 'warning: source .work.: tls = none')" "8 1"
sed "s/host = localhost/host = 127.0.0.2/; s/port = $IMAP_PORT/port = $IMAP2_PORT/" "$TMP/config" > "$TMP/c2" && mv "$TMP/c2" "$TMP/config"
check_eq 'a server that refuses plaintext login: said, exit 1' \
	"$(mc ingest 2>&1 | grep '^mailclerk: 127'; mc ingest >/dev/null 2>&1; echo "rc=$?")" \
	"mailclerk: 127.0.0.2: the server refuses to log in without TLS (LOGINDISABLED); use tls = imaps or tls = starttls
rc=1"

# Certificates: another name, an untrusted issuer: refused before LOGIN.
DB="$TMP/cert.db"
config work "port=$IMAPS_PORT" > "$TMP/config"
n=$(logins)
dovecot_use_cert wrongname >/dev/null
out=$(mc ingest 2>&1); rc=$?
check_eq 'a certificate for another name is refused, exit 1' \
	"$(printf '%s\n' "$out" | grep '^mailclerk: localhost'; echo "rc=$rc")" \
	"mailclerk: localhost: the server's certificate is refused: The certificate is NOT trusted. The name in the certificate does not match the expected.
rc=1"
dovecot_use_cert untrusted >/dev/null
check_eq 'an untrusted certificate is refused' "$(mc ingest 2>&1 | grep '^mailclerk: localhost')" \
	"mailclerk: localhost: the server's certificate is refused: The certificate is NOT trusted. The certificate issuer is unknown."
check_eq 'no LOGIN reached Dovecot for either' "$(logins)" "$n"
config work "port=$IMAPS_PORT" "tls_verify=no" > "$TMP/config"
out=$(mc ingest 2>&1)
check_eq 'tls_verify = no: works, loudly' \
	"$(printf '%s\n' "$out" | fetched) $(printf '%s\n' "$out" | grep -c 'WARNING: source .work.: tls_verify = no')" "8 1"
dovecot_use_cert good >/dev/null

# TLS 1.0 is refused.
tls10_start
config work "port=$TLS10_PORT" > "$TMP/config"
out=$(mc ingest 2>&1); rc=$?
check_eq 'a server offering only TLS 1.0 is refused, exit 1' \
	"$(printf '%s\n' "$out" | grep '^mailclerk: localhost'; echo "rc=$rc")" \
	"mailclerk: localhost: TLS handshake failed: the server sent the alert 'Error in protocol version'; the server offers no TLS 1.2 or newer, which mailclerk requires
rc=1"
tls10_stop

# Implicit TLS (the default) to a port that speaks plain IMAP: a hint.
DB="$TMP/plainport.db"
config work "port=$IMAP_PORT" > "$TMP/config"
out=$(mc ingest 2>&1); rc=$?
check_eq 'tls = imaps to a plain IMAP port: refused with a hint, exit 1' \
	"$(printf '%s\n' "$out" | grep '^mailclerk: localhost'; echo "rc=$rc")" \
	"mailclerk: localhost: TLS handshake failed: An unexpected TLS packet was received. (the server at localhost:$IMAP_PORT speaks plain IMAP; set tls = starttls)
rc=1"

# SNI: a server that only knows the name other.example and refuses any
# other one it is sent (openssl s_server -servername_fatal) refuses
# "localhost", which proves mailclerk sent it; an address is never sent as
# SNI, so the handshake with 127.0.0.1 succeeds (and the HTTP server then
# says no IMAP greeting).
openssl s_server -accept 127.0.0.1:0 -tls1_2 -cert "$DOVECOT_DIR/certs/good.pem" -key "$DOVECOT_DIR/certs/good.key" \
	-cert2 "$DOVECOT_DIR/certs/good.pem" -key2 "$DOVECOT_DIR/certs/good.key" \
	-servername other.example -servername_fatal -www </dev/null > "$TMP/sni.out" 2>/dev/null &
_dovecot_helpers="$_dovecot_helpers $!"
i=0
while ! grep -q '^ACCEPT' "$TMP/sni.out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sni_port=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$TMP/sni.out")
config work "port=$sni_port" "timeout=1" > "$TMP/config"
check_eq 'SNI: the host name is sent' "$(mc ingest 2>&1 | grep '^mailclerk: localhost')" \
	"mailclerk: localhost: TLS handshake failed: the server sent the alert 'The server name sent was not recognized'"
sed 's/host = localhost/host = 127.0.0.1/' "$TMP/config" > "$TMP/c2" && mv "$TMP/c2" "$TMP/config"
check_eq 'SNI: an address is not' "$(mc ingest 2>&1 | grep '^mailclerk: 127')" \
	"mailclerk: 127.0.0.1: greeting: the server did not answer within 1 s"

# A connection cut mid-fetch, then a clean resume.
DB="$TMP/cut.db"
dovecot_seed_many Big 600 >/dev/null
# Cut two thirds into the folder's bytes: after the first batch (200
# messages) was stored and recorded, inside the second.
cut=$(( $(cat "$DOVECOT_MAILDIR"/.Big/cur/* | wc -c) * 2 / 3 ))
cut_proxy_start 127.0.0.1 "$IMAPS_PORT" "$cut" --cuts 1
config work "port=$CUT_PORT" "folders=Big" > "$TMP/config"
out=$(mc ingest 2>&1); rc=$?
check_eq 'a cut connection ends the run with an error, exit 1' \
	"$(printf '%s\n' "$out" | grep -c '^mailclerk: localhost: Big: fetching messages: ') rc=$rc" "1 rc=1"
got=$(mc count folder:Big)
check_eq 'the batches recorded before the cut are kept and indexed' "$got" 200
check_eq 'the next run resumes: all 600, none twice' "$(mc ingest >/dev/null 2>&1; mc count folder:Big) $(ls "$TMP"/store/imap/=work/=Big/cur | wc -l | tr -d ' ')" "600 600"

# ^C during a fetch: the fetch stops at once, says so, exit 130; what was
# stored is kept, and the next run fetches the rest. The proxy goes silent
# inside the second batch, after the first was stored. sh starts background
# jobs with SIGINT ignored, which mailclerk respects: env lets it through.
mkdir "$TMP/int"
DB="$TMP/int/index.db"
cut_proxy_start 127.0.0.1 "$IMAPS_PORT" "$cut" --hang --cuts 1
config work "port=$CUT_PORT" "folders=Big" "timeout=30" > "$TMP/config"
env --default-signal=INT "$MAILCLERK" --config "$TMP/config" --db "$DB" ingest >"$TMP/int/out" 2>"$TMP/int/err" &
pid=$!
i=0
while [ "$(ls "$TMP/int/store/imap/=work/=Big/cur" 2>/dev/null | wc -l)" -lt 200 ] && [ $i -lt 3000 ]; do
	i=$((i + 1))
	sleep 0.01
done
kill -INT "$pid"
wait "$pid"
rc=$?
check_eq 'SIGINT during a fetch: said, exit 130' "$(cat "$TMP/int/out" "$TMP/int/err") rc=$rc" \
	"imap: work: 200 new messages fetched from 1 folder
mailclerk: interrupted: 0 messages indexed; run ingest again to finish rc=130"
helper_stop "$CUT_PID"
config work "port=$IMAPS_PORT" "folders=Big" > "$TMP/config"
check_eq '... and the next run fetches the rest and indexes all' "$(mc ingest 2>&1 | fetched) $(mc count folder:Big)" "400 600"

# A server that says nothing is dropped after timeout.
stall_start
config work "port=$STALL_PORT" "tls=none" "timeout=1" > "$TMP/config"
start=$(date +%s)
out=$(mc ingest 2>&1); rc=$?
check_eq 'a silent server: dropped after the timeout, exit 1' \
	"$(printf '%s\n' "$out" | grep '^mailclerk: localhost'; echo "rc=$rc")" \
	"mailclerk: localhost: greeting: the server did not answer within 1 s
rc=1"
check 'within a few seconds' test $(($(date +%s) - start)) -le 5

# Fetching holds no index lock: a local delivery during a (stalled) fetch
# goes through at once; a second fetch of the same source waits for none.
mkdir "$TMP/conc"
DB="$TMP/conc/index.db"
config work "port=$STALL_PORT" "tls=none" "timeout=4" > "$TMP/config"
mc ingest > "$TMP/conc/first.out" 2>&1 &
first=$!
sleep 1
start=$(date +%s)
printf 'From: a@b.example\nSubject: local delivery\nMessage-ID: <local@test>\n\nhi\n' |
	mc ingest --file - > /dev/null 2>&1
check 'a local delivery is not held up by an IMAP fetch in progress' test $(($(date +%s) - start)) -le 2
check_eq '... and is indexed' "$(mc count id:local@test)" 1
check_eq 'a second ingest of a source being fetched does not fetch it too' \
	"$(mc ingest work 2>&1 | grep '^imap:')" "imap: work: another ingest is fetching it; indexing its store as it is"
wait $first

# Hostile servers: errors, never a crash.
for mode in garbage literal badfetch no; do
	python3 "$top_srcdir/tests/imap/junk-server.py" $mode "$TMP/junk-$mode.port" &
	_dovecot_helpers="$_dovecot_helpers $!"
	_dovecot_wait_file "$TMP/junk-$mode.port"
	config work "port=$(cat "$TMP/junk-$mode.port")" "tls=none" "timeout=1" > "$TMP/config"
	DB="$TMP/junk-$mode.db"
	mc ingest > "$TMP/junk.out" 2>&1
	rc=$?
	case $mode in
	no) want="mailclerk: localhost: EXAMINE INBOX: the server said: Mailbox is on holiday" ;;
	*) want="" ;;
	esac
	if [ -n "$want" ]; then
		check_eq "hostile server ($mode): the server's words, exit 1" "$(grep '^mailclerk: localhost' "$TMP/junk.out" | head -n 1) rc=$rc" "$want rc=$rc"
	else
		check_eq "hostile server ($mode): an error, exit 1, no crash" "$(grep -c '^mailclerk: localhost' "$TMP/junk.out") rc=$rc" "1 rc=1"
	fi
done

# Working fakes with hostile details.
junk() { # junk MODE: starts junk-server.py MODE; its port in $junk_port
	python3 "$top_srcdir/tests/imap/junk-server.py" "$1" "$TMP/junk-$1.port" &
	_dovecot_helpers="$_dovecot_helpers $!"
	_dovecot_wait_file "$TMP/junk-$1.port"
	junk_port=$(cat "$TMP/junk-$1.port")
	mkdir -p "$TMP/$1"
	DB="$TMP/$1/index.db"
	config work "port=$junk_port" "tls=none" "timeout=1" "folders=*" > "$TMP/config"
}
junk names
out=$(mc ingest 2>&1); rc=$?
check_eq 'folder names from LIST (empty, 8-bit, ../../etc, %2F): all fetched and indexed, in the store' \
	"$(printf '%s\n' "$out" | fetched) $(mc count '*') $(ls -A "$TMP/names/store/imap/=work" | LC_ALL=C sort | tr '\n' ' ')rc=$rc" \
	"5 5 = =..%2F..%2Fetc =INBOX =a%252Fb =caf%E9 rc=0"
check_eq '... under their names (the empty one has none to show)' \
	"$(mc search --format=json '*' | jq -r '.[] | .folders | join(",")' | LC_ALL=C sort | tr '\n' '|')" \
	"|../../etc|INBOX|a%2Fb|caf�|"
junk nobody
out=$(mc ingest 2>&1); rc=$?
check_eq 'a message the server does not send: said, exit 1, asked for again next run' \
	"$(printf '%s\n' "$out" | grep '^mailclerk: localhost') $(sqlite3 "$DB" 'SELECT count(*) FROM imap_folders WHERE last_uid > 0') rc=$rc" \
	"mailclerk: localhost: INBOX: UID 1 was not sent by the server (expunged meanwhile, or a server fault); it is asked for again next run 0 rc=1"
junk sizelie
check_eq 'an RFC822.SIZE that lies (100 bytes for 2 MB) does not block the account' \
	"$(mc ingest 2>&1 | fetched) $(mc count '*')" "1 1"
junk desync
out=$(mc ingest 2>&1); rc=$?
check_eq 'an unreadable answer ends the session; nothing else is read as its answer' \
	"$(printf '%s\n' "$out" | grep -c '^mailclerk: localhost: INBOX: UID FETCH: ') $(printf '%s\n' "$out" | grep -c 'the server said') rc=$rc" "1 0 rc=1"

# A server that does not offer STARTTLS (the junk server's "no" mode).
config work "port=$(cat "$TMP/junk-no.port")" "tls=starttls" "timeout=1" > "$TMP/config"
check_eq 'tls = starttls to a server without STARTTLS: refused before LOGIN, exit 1' \
	"$(mc ingest 2>&1 | grep '^mailclerk: localhost'; mc ingest >/dev/null 2>&1; echo "rc=$?")" \
	"mailclerk: localhost: the server does not offer STARTTLS (tls = starttls); the password was not sent
rc=1"

# 2,000 messages: flat memory.
DB="$TMP/many.db"
dovecot_seed_many Many 2000 >/dev/null
config work "port=$IMAPS_PORT" "folders=Many" > "$TMP/config"
rss=$(python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' \
	"$MAILCLERK" --config "$TMP/config" --db "$DB" ingest)
check_eq '2,000 messages fetched and indexed' "$(mc count folder:Many)" 2000
if [ "${MC_SANITIZERS:-no}" = yes ]; then
	skip "peak memory stays under 64 MB (${rss} MB)" "ASan's shadow memory and quarantine"
else
	check "peak memory stays under 64 MB (${rss} MB)" test "$rss" -lt 64
fi

dovecot_stop
check_eq 'no Dovecot of ours is left' "$(dovecot_processes | wc -l | tr -d ' ')" 0
