#!/bin/sh
# The IMAP test harness itself: tests/imap/dovecot.sh, cut-proxy.py and the
# TLS 1.0 server, checked with Python's imaplib and openssl s_client.
# shellcheck disable=SC2016 # the sh -c scripts take "$1" on purpose
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/imap/dovecot.sh"
dovecot_available || skip_all "dovecot not installed"
plan 42

# py CODE ARGS...: runs CODE (a Python 3 snippet) with imaplib and friends at
# hand; $HOST/$PORT style values come in through the environment.
py() {
	_code=$1
	shift
	python3 -c "import imaplib, os, socket, ssl, sys
def ctx():
    return ssl.create_default_context(cafile=os.environ['CA_FILE'])
def imaps(port=None, host='127.0.0.1', timeout=10):
    return imaplib.IMAP4_SSL(host, int(port or os.environ['IMAPS_PORT']),
        ssl_context=ctx(), timeout=timeout)
# server_hostname is the host given; verify as localhost whatever the address.
_wrap = ssl.SSLContext.wrap_socket
def _wrap_localhost(self, sock, *a, **kw):
    kw['server_hostname'] = 'localhost'
    return _wrap(self, sock, *a, **kw)
ssl.SSLContext.wrap_socket = _wrap_localhost
$_code" "$@"
}

t0=$(date +%s)
check 'dovecot starts' dovecot_start
echo "# its processes: $(dovecot_processes | sed 's/^[0-9]* //' | tr '\n' ' ')"
for v in DOVECOT_CONF DOVECOT_DIR DOVECOT_LOG DOVECOT_MAILDIR IMAPS_PORT IMAP_PORT IMAP2_PORT CA_FILE; do
	eval "_v=\${$v:-}"
	[ -n "$_v" ] || echo "# $v is not set"
done
check 'everything lives under $TMP' sh -c 'case "$DOVECOT_CONF$DOVECOT_MAILDIR$CA_FILE" in *"$1"*) exit 0 ;; esac; exit 1' - "$TMP"
check 'the config names no system path' sh -c '! grep -q /etc/dovecot "$DOVECOT_CONF"'

# Two messages into INBOX.
for i in 1 2; do
	printf 'From: Bob <bob@example.org>\nTo: alice@dovecot.test\nSubject: seed %s\nMessage-ID: <seed%s@example.org>\nDate: Tue, 02 Jan 2024 10:00:00 +0000\n\nbody %s\n' \
		"$i" "$i" "$i" > "$TMP/m$i.eml"
done
check 'dovecot_seed saves into INBOX' dovecot_seed INBOX "$TMP/m1.eml" "$TMP/m2.eml"
check_eq 'INBOX has 2 messages' "$(dovecot_count INBOX)" 2
check 'dovecot_seed creates a folder' dovecot_seed Work/Sub "$TMP/m1.eml"
check_eq 'Work/Sub has 1 message' "$(dovecot_count Work/Sub)" 1

# IMAPS, verified against CA_FILE.
out=$(py '
m = imaps()
print("pre", " ".join(sorted(m.capabilities)))
m.login("alice", "secret-pw")
print("post", " ".join(sorted(m.capability()[1][0].decode().split())))
typ, data = m.select("INBOX", readonly=True)
print("exists", data[0].decode())
typ, data = m.list()
print("list", " | ".join(d.decode() for d in data))
m.logout()
' 2>&1)
printf '%s\n' "$out" | sed -n 's/^pre /# IMAPS capabilities before login: /p; s/^post /# IMAPS capabilities after login: /p; s/^list /# LIST: /p'
check_eq 'imaplib logs in over IMAPS with CA_FILE verification and sees 2 messages' \
	"$(printf '%s\n' "$out" | sed -n 's/^exists //p')" 2
check 'IMAPS offers AUTH=PLAIN, no STARTTLS, no LOGINDISABLED' sh -c \
	'printf "%s\n" "$1" | grep "^pre " | grep -q "AUTH=PLAIN" &&
	 ! printf "%s\n" "$1" | grep "^pre " | grep -q "STARTTLS\|LOGINDISABLED"' - "$out"
check 'a successful login is logged: "imap-login: Info: Login: user=<alice>, method=PLAIN, ... TLS"' \
	grep -q 'imap-login: Info: Login: user=<alice>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid=[0-9]*, TLS, session=<' "$DOVECOT_LOG"

# The wrong password.
out=$(py '
m = imaps()
try:
    m.login("alice", "wrong-pw")
    print("logged in")
except imaplib.IMAP4.error as e:
    print("refused", e)
m.logout()
' 2>&1)
printf '%s\n' "$out" | sed 's/^/# /'
check 'the wrong password is refused' sh -c 'printf "%s\n" "$1" | grep -q "^refused.*AUTHENTICATIONFAILED"' - "$out"
sleep 0.2 # imap-login logs the disconnection as it sees it
check 'auth logs "Password mismatch"' grep -q 'auth: Info: passwd-file(alice,127.0.0.1,<[^>]*>): Password mismatch' "$DOVECOT_LOG"
check 'imap-login logs "Disconnected: ... (auth failed, 1 attempts in N secs): user=<alice>"' \
	grep -q 'imap-login: Info: Disconnected: Aborted login by logging out (auth failed, 1 attempts in [0-9]* secs): user=<alice>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, TLS, session=<' "$DOVECOT_LOG"

# STARTTLS on IMAP_PORT (127.0.0.1).
out=$(py '
m = imaplib.IMAP4("127.0.0.1", int(os.environ["IMAP_PORT"]), timeout=10)
print("pre", " ".join(sorted(m.capabilities)))
m.starttls(ssl_context=ctx())
print("tls", " ".join(sorted(m.capabilities)))
m.login("alice", "secret-pw")
print("exists", m.select("INBOX", readonly=True)[1][0].decode())
m.logout()
' 2>&1)
printf '%s\n' "$out" | sed -n 's/^pre /# IMAP (127.0.0.1) capabilities: /p; s/^tls /# IMAP (127.0.0.1) after STARTTLS: /p'
check_eq 'STARTTLS on IMAP_PORT, then LOGIN' "$(printf '%s\n' "$out" | sed -n 's/^exists //p')" 2
check 'IMAP_PORT offers STARTTLS and allows LOGIN in the clear (127.0.0.1 counts as secured)' sh -c \
	'printf "%s\n" "$1" | grep "^pre " | grep -q "STARTTLS" &&
	 ! printf "%s\n" "$1" | grep "^pre " | grep -q "LOGINDISABLED"' - "$out"
out=$(py '
m = imaplib.IMAP4("127.0.0.1", int(os.environ["IMAP_PORT"]), timeout=10)
m.login("alice", "secret-pw")
print("ok")
m.logout()
' 2>&1)
check_eq 'plain LOGIN on 127.0.0.1 works' "$out" ok
check 'and is logged as "secured"' grep -q 'imap-login: Info: Login: user=<alice>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid=[0-9]*, secured, session=<' "$DOVECOT_LOG"

# 127.0.0.2: no LOGIN before STARTTLS.
out=$(py '
m = imaplib.IMAP4("127.0.0.2", int(os.environ["IMAP2_PORT"]), timeout=10)
print("pre", " ".join(sorted(m.capabilities)))
try:
    m.login("alice", "secret-pw")
    print("logged in")
except imaplib.IMAP4.error as e:
    print("refused", e)
m.logout()
m = imaplib.IMAP4("127.0.0.2", int(os.environ["IMAP2_PORT"]), timeout=10)
m.starttls(ssl_context=ctx())
print("tls", " ".join(sorted(m.capabilities)))
m.login("alice", "secret-pw")
print("after starttls: logged in")
m.logout()
' 2>&1)
printf '%s\n' "$out" | sed -n 's/^pre /# IMAP2 (127.0.0.2) capabilities: /p; s/^tls /# IMAP2 after STARTTLS: /p; s/^refused /# LOGIN refused: /p'
check 'IMAP2_PORT advertises STARTTLS and LOGINDISABLED' sh -c \
	'printf "%s\n" "$1" | grep "^pre " | grep "STARTTLS" | grep -q "LOGINDISABLED"' - "$out"
check 'LOGIN before STARTTLS on 127.0.0.2 is refused' sh -c 'printf "%s\n" "$1" | grep -q "^refused"' - "$out"
check 'LOGIN after STARTTLS on 127.0.0.2 works' sh -c 'printf "%s\n" "$1" | grep -q "^after starttls: logged in"' - "$out"
sleep 0.2
check 'the refusal is logged: "Login failed: Plaintext authentication disabled"' \
	grep -q 'imap-login: Info: Login failed: Plaintext authentication disabled: user=<>, rip=127.0.0.1, lip=127.0.0.2, session=<' "$DOVECOT_LOG"

# Certificates.
verify() {
	py '
try:
    imaps().logout()
    print("verified")
except ssl.SSLCertVerificationError as e:
    print("rejected:", e.verify_message)
' 2>&1
}
served() {
	openssl s_client -connect "127.0.0.1:$IMAPS_PORT" -servername localhost </dev/null 2>/dev/null |
		openssl x509 -noout -subject -ext subjectAltName 2>/dev/null | tr -s ' \n' ' '
}
dovecot_use_cert wrongname
echo "# wrongname serves: $(served)"
check_eq 'wrongname: verification fails on the name' "$(verify)" "rejected: Hostname mismatch, certificate is not valid for 'localhost'."
dovecot_use_cert untrusted
echo "# untrusted serves: $(served)"
check_eq 'untrusted: verification fails on the issuer' "$(verify)" "rejected: self-signed certificate"
dovecot_use_cert good
echo "# good serves: $(served)"
check_eq 'good again: verified' "$(verify)" verified

# 2,000 messages.
s0=$(date +%s)
dovecot_seed_many Archive 2000
s1=$(date +%s)
echo "# dovecot_seed_many Archive 2000: $((s1 - s0)) s"
check 'seeding 2,000 messages takes at most 5 s' [ $((s1 - s0)) -le 5 ]
check_eq 'Archive has 2,000 messages' "$(dovecot_count Archive)" 2000
out=$(py '
m = imaps()
m.login("alice", "secret-pw")
print("exists", m.select("Archive", readonly=True)[1][0].decode())
print("search", m.search(None, "BODY", "seedword1234")[1][0].decode())
print("subject", m.fetch("1234", "(BODY.PEEK[HEADER.FIELDS (SUBJECT MESSAGE-ID)])")[1][0][1].decode().strip().replace("\r\n", " "))
m.logout()
' 2>&1)
check_eq 'over IMAP: 2,000 messages, seedword1234 in message 1234' "$out" "exists 2000
search 1234
subject Subject: msg 1234 Message-ID: <seed-1234.1@dovecot.test>"

# Flags: BODY.PEEK leaves messages unseen, BODY[] does not.
before=$(dovecot_flags Archive | awk '$2 != "-"' | wc -l)
check_eq 'no message of Archive has a flag yet' "$before" 0
out=$(py '
m = imaps()
m.login("alice", "secret-pw")
m.select("Archive")
m.fetch("1:10", "(BODY.PEEK[])")
m.fetch("5", "(BODY[])")
m.logout()
print("done")
' 2>&1)
check_eq 'after BODY.PEEK[] of 1:10 and BODY[] of 5, only 5 is \Seen' "$(dovecot_flags Archive | sed -n '1,10p' | tr '\t\n' ': ')" \
	'1:- 2:- 3:- 4:- 5:\Seen 6:- 7:- 8:- 9:- 10:- '

# UIDVALIDITY.
old=$(dovecot_uidvalidity Archive)
new=$(dovecot_reset_uidvalidity Archive)
echo "# UIDVALIDITY $old -> $new"
check 'dovecot_reset_uidvalidity gives a new UIDVALIDITY' test -n "$new" -a "$new" != "$old"
out=$(py '
m = imaps()
m.login("alice", "secret-pw")
print(m.status("Archive", "(UIDVALIDITY MESSAGES)")[1][0].decode())
m.logout()
' 2>&1)
check_eq 'IMAP STATUS sees it, and all 2,000 messages' "$out" "Archive (MESSAGES 2000 UIDVALIDITY $new)"

# The cut proxy: plain IMAP on 127.0.0.1, cut 2,000 bytes into the first
# connection (greeting, LOGIN and SELECT fit; a 20-message FETCH does not).
fetch20='
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]), timeout=2)
m.login("alice", "secret-pw")
m.select("Archive", readonly=True)
try:
    typ, data = m.fetch("1:20", "(BODY.PEEK[])")
    print("fetched", len([d for d in data if isinstance(d, tuple)]))
except (imaplib.IMAP4.abort, OSError) as e:
    print("cut:", type(e).__name__)
'
cut_proxy_start 127.0.0.1 "$IMAP_PORT" 2000 --cuts 1
check_eq 'through the proxy, the FETCH is cut' "$(py "$fetch20" "$CUT_PORT" 2>&1 | sed 's/:.*//')" cut
check_eq 'the next connection passes (--cuts 1)' "$(py "$fetch20" "$CUT_PORT" 2>&1)" "fetched 20"
check 'the proxy logged 2,000 bytes, then the cut' grep -q 'conn 1: cut after 2000 bytes to the client' "$TMP/cut-proxy.log"
helper_stop "$CUT_PID"
cut_proxy_start 127.0.0.1 "$IMAP_PORT" 2000 --hang
check_eq '--hang: the FETCH times out' "$(py "$fetch20" "$CUT_PORT" 2>&1)" "cut: TimeoutError"
helper_stop "$CUT_PID"
stall_start
out=$(py '
try:
    imaplib.IMAP4("127.0.0.1", int(os.environ["STALL_PORT"]), timeout=1)
    print("greeted")
except (TimeoutError, socket.timeout):
    print("timeout")
' 2>&1)
check_eq 'the stall server never greets' "$out" timeout
helper_stop "$STALL_PID"

# TLS 1.0 only.
check 'tls10_start' tls10_start
out=$(openssl s_client -connect "127.0.0.1:$TLS10_PORT" -tls1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null 2>&1)
check 'openssl s_client -tls1 gets a TLS 1.0 session' sh -c 'printf "%s\n" "$1" | grep -q "Protocol *: TLSv1$"' - "$out"
out=$(py '
s = socket.create_connection(("127.0.0.1", int(os.environ["TLS10_PORT"])), timeout=5)
try:
    ctx().wrap_socket(s)
    print("handshake done")
except ssl.SSLError as e:
    print("handshake failed:", e.reason)
' 2>&1)
echo "# a default Python client: $out"
check 'a default client (TLS >= 1.2) fails in the handshake' sh -c 'printf "%s\n" "$1" | grep -q "^handshake failed"' - "$out"
tls10_stop

# Stop, and nothing of ours remains.
dovecot_stop
check 'dovecot_stop is idempotent' dovecot_stop
check_eq 'no process of our instance remains' "$(dovecot_processes)" ""
out=$(py '
for port in (os.environ["IMAPS_PORT"], os.environ["IMAP_PORT"]):
    try:
        socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
        print("open", port)
    except OSError:
        pass
print("closed")
' 2>&1)
check_eq 'its ports are closed' "$out" closed
echo "# selftest took $(($(date +%s) - t0)) s"
