#!/bin/sh
# mailclerk watch on an IMAP source, against a real Dovecot
# (tests/imap/dovecot.sh): IDLE on INBOX, polling for the other folders and
# for a server without IDLE, reconnecting after the server went away.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/imap/dovecot.sh"
dovecot_available || skip_all "dovecot is not installed (contrib/bootstrap.sh installs it)"
plan 23
dovecot_start || { echo "Bail out! dovecot did not start"; exit 1; }
export MAILCLERK_PASSWORD_WORK=secret-pw

# append FOLDER WORD: a message with WORD saved into FOLDER on the server.
append() {
	printf 'From: Sender <s@imap.test>\nTo: alice@dovecot.test\nSubject: %s\nMessage-ID: <%s@imap.test>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\nThe word is %s.\n' \
		"$2" "$2" "$2" > "$TMP/$2.eml"
	dovecot_seed "$1" "$TMP/$2.eml"
}
config() {
	printf '[source work]\ntype = imap\nhost = localhost\nport = %s\nuser = alice\nca_file = %s\nfolders = INBOX; Other\npoll = %s\n' \
		"$IMAPS_PORT" "$CA_FILE" "$1" > "$TMP/config"
}
start_watch() {
	"$MAILCLERK" --config "$TMP/config" --db "$DB" watch > "$TMP/watch.out" 2>> "$TMP/watch.err" &
	pid=$!
}
stop_watch() {
	kill -TERM "$pid"
	wait "$pid"
}

dovecot_seed_many INBOX 2 >/dev/null
dovecot_seed_many Other 1 >/dev/null
# An hour between polls: what comes to INBOX now can only come by IDLE.
config 1h
start_watch
check 'the first run fetches what the server has' wait_until count_is '*' 3
append INBOX wimapidle
check 'a message APPENDed to INBOX is found (IDLE)' wait_until count_is wimapidle 1
check_eq '... in INBOX' "$(mc search --format=json wimapidle | jq -r '.[0].folders[0]')" INBOX
# Quiet: no sync until the hour is up (a slow machine only makes fewer).
# Counted once the logins of the delivery are over: the sync that fetched it
# can still be logging out, and the IDLE session starting again, as the
# message turns up (once in a CI run, a fourth login came just after; and
# once, under a loaded make -j2 check, more than a second after; twice in
# CI runs of 2026-12-07, after 2 s standing still): the logins must stand
# still for 4 s.
logins() { grep -c 'Login: user=<alice>' "$DOVECOT_LOG"; }
l0=$(logins)
_i=0
while sleep 4 && [ "$(logins)" != "$l0" ] && [ $_i -lt 10 ]; do
	l0=$(logins)
	_i=$((_i + 1))
done
sleep 3
check_eq 'nothing new: no login for 3 s (poll = 1h)' "$(logins)" "$l0"

# The server goes away and comes back: the watch connects again by itself.
dovecot_stop
check 'a lost server is said' wait_until grep -q '^mailclerk watch: work: .*; trying again$' "$TMP/watch.err"
_dovecot_launch
append INBOX wimapback
check '... and after it is back, new mail is found' wait_until count_is wimapback 1
check_eq '... the outage said once' "$(grep -c 'trying again' "$TMP/watch.err")" 1
check_eq '... and its end once' "$(grep -c '^mailclerk watch: work: the server answers again$' "$TMP/watch.err")" 1
check_eq 'the watch is still running' "$(kill -0 "$pid" 2>/dev/null && echo yes)" yes
stop_watch
check_eq 'SIGTERM: exit 0' "$?" 0

# The folder beyond the IDLE one is polled (poll = 2s).
config 2s
mv "$TMP/watch.err" "$TMP/watch1.err"
start_watch
wait_until count_is wimapback 1
append Other wimapother
check 'a message in the second folder is found by polling' wait_until count_is wimapother 1
check_eq '... in that folder' "$(mc search --format=json wimapother | jq -r '.[0].folders[0]')" Other

# A server that offers no IDLE (taken out of its capabilities) is polled.
dovecot_imap_capability 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ AUTH=PLAIN'
check 'no IDLE: said' wait_until grep -q '^mailclerk watch: work: the server offers no IDLE; polling it every 2 s$' "$TMP/watch.err"
append INBOX wimappolled
check '... and INBOX is polled' wait_until count_is wimappolled 1
stop_watch
check_eq 'SIGTERM: exit 0' "$?" 0
check_eq '... the index is sound' "$(mc check 2>&1 >/dev/null; echo $?)" 0
check_eq 'one message each, nothing twice' "$(mc count '*')" 7
check_eq 'nothing else on stderr' "$(cat "$TMP/watch1.err" "$TMP/watch.err" |
	grep -v -e '^mailclerk watch: work: .*; trying again$' -e '^mailclerk watch: work: the server answers again$' \
		-e '^mailclerk watch: work: the server offers no IDLE; polling it every 2 s$')" ""
dovecot_imap_capability

# A wrong password: refused for good, said once, not tried again (a
# provider would lock the account after a few); the watch goes on.
mv "$TMP/watch.err" "$TMP/watch2.err"
config 1h
MAILCLERK_PASSWORD_WORK=wrong-pw
start_watch
check 'a refused login is said' wait_until grep -q "^mailclerk watch: work: localhost: login as alice: the server said: .*; not trying again until the watch restarts\$" "$TMP/watch.err"
mismatches() { grep -c 'Password mismatch' "$DOVECOT_LOG"; }
sleep 4
check "... tried at most twice, by IDLE and by the first sync ($(mismatches))" [ "$(mismatches)" -le 2 ]
check_eq '... said once' "$(grep -c 'not trying again' "$TMP/watch.err")" 1
check_eq '... and the watch still runs' "$(kill -0 "$pid" 2>/dev/null && echo yes)" yes
stop_watch
# No password at all: a configuration error at start.
unset MAILCLERK_PASSWORD_WORK
out=$(mc watch 2>&1)
check_eq 'no password: exit 2 at start, saying what to set' "$? $out" \
	"2 mailclerk: source 'work': no password: set password_command, or MAILCLERK_PASSWORD_WORK in the environment"
dovecot_stop
