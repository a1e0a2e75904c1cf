# tests/imap/dovecot.sh: a throwaway Dovecot IMAP server for the IMAP tests.
#
# Source it after tests/lib.sh (which sets $TMP and the EXIT trap _finish):
#
#	. "$top_srcdir/tests/lib.sh"
#	. "$top_srcdir/tests/imap/dovecot.sh"
#	dovecot_available || skip_all "dovecot not installed"
#	plan N
#	dovecot_start || { echo "Bail out! dovecot did not start"; exit 1; }
#
# Everything lives under "$TMP/dovecot": its own CA and certificates, config,
# runtime and state directories, log and the user's mail. The system instance
# (/etc/dovecot, ports 143/993, /run/dovecot) is never read or touched. No fixed
# ports: free ones are picked at start. (Only when $TMP is so deep that UNIX
# socket paths would be too long does base_dir go to /tmp/mcdv.XXXXXX.)
#
# As root, the login processes run as dovenull, the other services as
# dovecot (both made by the Debian package; nobody if they are missing) and
# alice's mail belongs to nobody; $TMP is made 0755 so that they can reach it
# (its parents must be world-searchable, as /tmp is). As another user,
# everything runs as that user.
#
# Set before dovecot_start, if wanted:
#	DOVECOT_SEPARATOR	the namespace's hierarchy separator (default /)
#	DOVECOT_AUTH_FAILURE_DELAY
#				auth_failure_delay (default 0; Dovecot's is 2 secs)
#	DOVECOT_IMAP_CAPABILITY	imap_capability: the CAPABILITY answer (default:
#				Dovecot's own, which offers CONDSTORE); see
#				dovecot_imap_capability
#
# After dovecot_start these are exported:
#	DOVECOT_CONF	the dovecot.conf (for doveadm -c)
#	DOVECOT_DIR	"$TMP/dovecot"
#	DOVECOT_LOG	the log file (every service logs there, see below)
#	DOVECOT_USER	alice      DOVECOT_PASS  secret-pw
#	DOVECOT_MAILDIR	alice's Maildir: INBOX; folder A/B is "$DOVECOT_MAILDIR/.A.B"
#	IMAPS_PORT	implicit TLS on 127.0.0.1
#	IMAP_PORT	plain IMAP with STARTTLS on 127.0.0.1 (Dovecot counts a
#			connection from 127.0.0.1 to 127.0.0.1 as secured, so
#			LOGIN without TLS is allowed here)
#	IMAP2_PORT	plain IMAP with STARTTLS on 127.0.0.2 (the client comes
#			from 127.0.0.1, so it is not secured: LOGINDISABLED until
#			STARTTLS)
#	CA_FILE		the CA that signed the "good" and "wrongname" certificates
#	DOVECOT_CERT	which certificate is served: good, wrongname or untrusted
#	DOVECOT_INSTANCE its instance_name; its processes are titled
#			"dovecot-$DOVECOT_INSTANCE/imap-login" and so on
#
# Functions:
#	dovecot_available		0 if dovecot and doveadm are installed
#	dovecot_start			make certs and config, start, wait for the ports
#	dovecot_stop			stop it (idempotent; also done at exit)
#	dovecot_processes		"PID TITLE" of each process of ours
#	dovecot_use_cert good|wrongname|untrusted
#					serve another certificate (reload, verified)
#	dovecot_seed FOLDER FILE...	save messages (doveadm save) into FOLDER
#	dovecot_seed_many FOLDER N	N small messages "msg 1".."msg N", each with
#					Message-ID <seed-I.K@dovecot.test> (the
#					K-th call of the test) and the word
#					seedwordI in its body
#	dovecot_count FOLDER		the number of messages in FOLDER
#	dovecot_uidvalidity FOLDER	FOLDER's UIDVALIDITY
#	dovecot_flags FOLDER		"UID<TAB>FLAGS" per message, FLAGS as
#					stored (\Recent left out: it belongs to
#					a session); "-" when a message has none
#	dovecot_reset_uidvalidity FOLDER
#					force a new UIDVALIDITY (and new UIDs);
#					prints it
#	dovecot_highestmodseq FOLDER	FOLDER's HIGHESTMODSEQ (RFC 7162)
#	dovecot_imap_capability [CAPS]	restart with imap_capability = CAPS
#					(e.g. a list without CONDSTORE), or
#					Dovecot's own with no CAPS
#	dovecot_doveadm ARGS...		doveadm -c "$DOVECOT_CONF" ARGS...
#	tls10_start / tls10_stop	openssl s_server speaking only TLS 1.0 with
#					the good certificate; exports TLS10_PORT
#	cut_proxy_start HOST PORT BYTES [--fin|--hang] [--cuts K]
#					tests/imap/cut-proxy.py in the background
#					(see there); exports CUT_PORT and CUT_PID;
#					it logs to "$TMP/cut-proxy.log"
#	stall_start			a server that accepts and never says a
#					word; exports STALL_PORT and STALL_PID
#	helper_stop PID			stop one of those by its PID
#
# The log (DOVECOT_LOG), as Dovecot 2.3.19 (Debian 12) writes it with
# auth_verbose = yes; each line starts with "Mon DD HH:MM:SS ":
#   a successful login (LOGIN or AUTHENTICATE PLAIN):
#	imap-login: Info: Login: user=<alice>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid=1234, TLS, session=<...>
#     "TLS" after IMAPS or STARTTLS, "secured" for a plaintext login on
#     127.0.0.1; then, when the session ends:
#	imap(alice)<1234><...>: Info: Disconnected: Logged out in=32 out=788 ...
#   a wrong password: auth logs it at once, imap-login when the client goes
#   ("Aborted login by logging out" after LOGOUT, "Connection closed" if the
#   client just closes):
#	auth: Info: passwd-file(alice,127.0.0.1,<...>): Password mismatch
#	imap-login: Info: Disconnected: Aborted login by logging out (auth failed, 1 attempts in 0 secs): user=<alice>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, TLS, session=<...>
#   LOGIN before STARTTLS where plaintext is disabled (127.0.0.2); the server
#   answers "* BAD [ALERT] Plaintext authentication not allowed without
#   SSL/TLS, ..." then "a NO [PRIVACYREQUIRED] ...", and logs:
#	imap-login: Info: Login failed: Plaintext authentication disabled: user=<>, rip=127.0.0.1, lip=127.0.0.2, session=<...>
#	imap-login: Info: Disconnected: Aborted login by logging out (auth failed, 1 attempts in 0 secs): user=<alice>, rip=127.0.0.1, lip=127.0.0.2, session=<...>
# So grep -c 'imap-login: Info: Login: user=<alice>' "$DOVECOT_LOG" counts
# successful logins; a connection that never logs in leaves a "Disconnected:
# ... (no auth attempts in N secs)" line. dovecot_use_cert's checks leave
# such lines. A failed login is answered at once (auth_failure_delay = 0,
# DOVECOT_AUTH_FAILURE_DELAY overrides it, e.g. "2 secs", the default) and
# anvil's per-IP penalty is off. tests/imap/selftest.sh checks these lines.

_dovecot_bin() {
	for _d in $(printf '%s' "${PATH:-}" | tr ':' ' ') /usr/sbin /usr/local/sbin /sbin; do
		if [ -x "$_d/$1" ]; then
			printf '%s\n' "$_d/$1"
			return 0
		fi
	done
	return 1
}

dovecot_available() {
	DOVECOT_BIN=$(_dovecot_bin dovecot) || return 1
	DOVEADM_BIN=$(_dovecot_bin doveadm) || return 1
	command -v openssl >/dev/null 2>&1 || return 1
	command -v python3 >/dev/null 2>&1 || return 1
	return 0
}

DOVECOT_DIR="$TMP/dovecot"
DOVECOT_CONF="$DOVECOT_DIR/dovecot.conf"
DOVECOT_LOG="$DOVECOT_DIR/log"
DOVECOT_USER=alice
DOVECOT_PASS=secret-pw
export DOVECOT_DIR DOVECOT_CONF DOVECOT_LOG DOVECOT_USER DOVECOT_PASS
_dovecot_helpers="" # PIDs of the background helpers we started

# dovecot_doveadm ARGS...: doveadm on our instance.
dovecot_doveadm() { "${DOVEADM_BIN:-doveadm}" -c "$DOVECOT_CONF" "$@"; }

# Stop everything of ours, then lib.sh's own cleanup (removes $TMP).
_dovecot_finish() {
	for _p in $_dovecot_helpers; do
		kill "$_p" 2>/dev/null
	done
	dovecot_stop
	_finish
}
trap _dovecot_finish EXIT
# A signal (make check's timeout, ^C) still goes through the EXIT trap.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# _dovecot_free_ports N: N distinct free TCP ports on 127.0.0.1, one a line.
_dovecot_free_ports() {
	python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
    s.close()
EOF
}

# _dovecot_wait_port HOST PORT: wait (up to 10 s) until HOST:PORT listens.
# Where /proc/net/tcp exists it is read rather than connecting, so the log has
# no "Disconnected: ... no auth attempts" line for every probe.
_dovecot_wait_port() {
	python3 - "$1" "$2" <<'EOF'
import os, socket, sys, time
host, port = sys.argv[1], int(sys.argv[2])
want = "%s:%04X" % ("".join("%02X" % b for b in reversed(socket.inet_aton(host))), port)
def listening():
    if os.path.exists("/proc/net/tcp"):
        with open("/proc/net/tcp") as f:
            return any(l.split()[1] == want and l.split()[3] == "0A" for l in list(f)[1:])
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False
deadline = time.time() + 10
while not listening():
    if time.time() > deadline:
        sys.exit(1)
    time.sleep(0.05)
EOF
}

# _dovecot_certs DIR: a CA, and under it localhost (good) and wrong.example
# (wrongname); a self-signed localhost (untrusted). EC P-256, valid 2 days.
_dovecot_certs() {
	_c=$1
	_ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
	(
		set -e
		cd "$_c"
		# shellcheck disable=SC2086
		openssl req -x509 $_ec -keyout ca.key -out ca.pem -days 2 \
			-subj "/O=mailclerk tests/CN=mailclerk test CA" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign"
		for _n in good wrongname; do
			case $_n in
			good) _cn=localhost _san="DNS:localhost,IP:127.0.0.1,IP:127.0.0.2" ;;
			wrongname) _cn=wrong.example _san="DNS:wrong.example" ;;
			esac
			# shellcheck disable=SC2086
			openssl req -new $_ec -keyout "$_n.key" -out "$_n.csr" -subj "/CN=$_cn"
			cat > "$_n.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$_san
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
EOF
			openssl x509 -req -in "$_n.csr" -CA ca.pem -CAkey ca.key \
				-set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
				-days 2 -extfile "$_n.ext" -out "$_n.pem"
		done
		# shellcheck disable=SC2086
		openssl req -x509 $_ec -keyout untrusted.key -out untrusted.pem -days 2 \
			-subj "/CN=localhost" \
			-addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2" \
			-addext "extendedKeyUsage=serverAuth"
		chmod 600 ./*.key
	) >"$_c/openssl.log" 2>&1 || {
		sed 's/^/# /' "$_c/openssl.log" >&2
		return 1
	}
}

# _dovecot_conf: writes $DOVECOT_CONF (the certificate: $DOVECOT_CERT).
_dovecot_conf() {
	cat > "$DOVECOT_CONF.new" <<EOF
# Written by tests/imap/dovecot.sh for one test; it includes no system config.
instance_name = $DOVECOT_INSTANCE
base_dir = $_dovecot_run
state_dir = $DOVECOT_DIR/state
log_path = $DOVECOT_LOG
protocols = imap
listen = 127.0.0.1 127.0.0.2
shutdown_clients = yes

ssl = yes
ssl_cert = <$DOVECOT_DIR/certs/$DOVECOT_CERT.pem
ssl_key = <$DOVECOT_DIR/certs/$DOVECOT_CERT.key

auth_mechanisms = plain login
auth_verbose = yes
# A wrong password is answered at once (Dovecot's default waits 2 s, and the
# anvil penalty below would make it 4, 8, then 15 s per failure from the IP).
auth_failure_delay = ${DOVECOT_AUTH_FAILURE_DELAY:-0}
auth_debug = no
mail_debug = no
# The default: no plaintext LOGIN unless TLS or a "secured" (local) connection.
disable_plaintext_auth = yes

default_internal_user = $_dovecot_internal_user
default_internal_group = $_dovecot_internal_group
default_login_user = $_dovecot_login_user
first_valid_uid = $_dovecot_uid
first_valid_gid = $_dovecot_gid

passdb {
  driver = passwd-file
  args = scheme=PLAIN $DOVECOT_DIR/users
}
userdb {
  driver = passwd-file
  args = $DOVECOT_DIR/users
}

mail_location = maildir:~/Maildir
${DOVECOT_IMAP_CAPABILITY:+imap_capability = $DOVECOT_IMAP_CAPABILITY}
namespace inbox {
  inbox = yes
  separator = ${DOVECOT_SEPARATOR:-/}
}

service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imap2 {
    address = 127.0.0.2
    port = $IMAP2_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
EOF
	if [ "$(id -u)" -ne 0 ]; then
		# Unprivileged: every service runs as us (the defaults of some are root).
		cat >> "$DOVECOT_CONF.new" <<EOF
service auth-worker {
  user = $_dovecot_internal_user
}
EOF
	fi
	mv "$DOVECOT_CONF.new" "$DOVECOT_CONF"
}

# _dovecot_alive PID: whether PID runs. The master daemonizes, so once it exits
# it is a zombie until PID 1 reaps it, which in a container may be never: a
# zombie counts as gone.
_dovecot_alive() {
	kill -0 "$1" 2>/dev/null || return 1
	[ -r "/proc/$1/stat" ] || return 0
	case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) in
	Z* | X* | '') return 1 ;;
	esac
	return 0
}

# _dovecot_master_pid: the running master's PID (fails when none).
_dovecot_master_pid() {
	[ -n "${_dovecot_run:-}" ] && [ -s "$_dovecot_run/master.pid" ] || return 1
	_pid=$(cat "$_dovecot_run/master.pid" 2>/dev/null) || return 1
	[ -n "$_pid" ] && _dovecot_alive "$_pid" || return 1
	printf '%s\n' "$_pid"
}

# _dovecot_launch: start the master on the existing config, wait for the ports.
_dovecot_launch() {
	# Its output to a file: called inside $(...), the daemon must not keep
	# the pipe open.
	"$DOVECOT_BIN" -c "$DOVECOT_CONF" </dev/null >>"$DOVECOT_DIR/start.err" 2>&1 || {
		sed 's/^/# dovecot: /' "$DOVECOT_DIR/start.err" "$DOVECOT_LOG" 2>/dev/null >&2
		return 1
	}
	for _hp in "127.0.0.1 $IMAPS_PORT" "127.0.0.1 $IMAP_PORT" "127.0.0.2 $IMAP2_PORT"; do
		# shellcheck disable=SC2086
		_dovecot_wait_port $_hp || {
			echo "# dovecot: nothing listens on $_hp" >&2
			sed 's/^/# dovecot: /' "$DOVECOT_LOG" 2>/dev/null >&2
			return 1
		}
	done
}

dovecot_start() {
	dovecot_available || return 1
	if [ "$(id -u)" -eq 0 ]; then
		# The login processes (dovenull) and the mail user (nobody) must
		# reach their sockets and the home under $TMP (mktemp made it 0700).
		chmod 0755 "$TMP"
		_dovecot_uid=$(id -u nobody) || return 1
		_dovecot_gid=$(id -g nobody) || return 1
		if id dovecot >/dev/null 2>&1 && id dovenull >/dev/null 2>&1; then
			_dovecot_internal_user=dovecot _dovecot_login_user=dovenull
		else
			_dovecot_internal_user=nobody _dovecot_login_user=nobody
		fi
		_dovecot_internal_group=$(id -gn "$_dovecot_internal_user")
	else
		_dovecot_uid=$(id -u) _dovecot_gid=$(id -g)
		_dovecot_internal_user=$(id -un) _dovecot_login_user=$(id -un)
		_dovecot_internal_group=$(id -gn)
	fi
	mkdir -p "$DOVECOT_DIR/certs" "$DOVECOT_DIR/state" || return 1
	chmod 0755 "$DOVECOT_DIR"
	# base_dir holds UNIX sockets (at most 108 bytes a path): if $TMP is deep,
	# they go in a short directory of their own, removed by dovecot_stop.
	_dovecot_run="$DOVECOT_DIR/run"
	if [ ${#_dovecot_run} -gt 60 ]; then
		_dovecot_run=$(mktemp -d /tmp/mcdv.XXXXXX) || return 1
		chmod 0755 "$_dovecot_run"
		_dovecot_run_tmp=$_dovecot_run
	fi
	DOVECOT_INSTANCE="mctest-${TMP##*.}"
	export DOVECOT_INSTANCE
	_dovecot_certs "$DOVECOT_DIR/certs" || return 1
	CA_FILE="$DOVECOT_DIR/certs/ca.pem"
	DOVECOT_CERT=good

	_home="$DOVECOT_DIR/home/$DOVECOT_USER"
	DOVECOT_MAILDIR="$_home/Maildir"
	mkdir -p "$DOVECOT_MAILDIR/cur" "$DOVECOT_MAILDIR/new" "$DOVECOT_MAILDIR/tmp"
	chmod 0755 "$DOVECOT_DIR/home"
	[ "$(id -u)" -ne 0 ] || chown -R "$_dovecot_uid:$_dovecot_gid" "$_home"
	printf '%s:{PLAIN}%s:%s:%s::%s::\n' "$DOVECOT_USER" "$DOVECOT_PASS" \
		"$_dovecot_uid" "$_dovecot_gid" "$_home" > "$DOVECOT_DIR/users"

	export CA_FILE DOVECOT_CERT DOVECOT_MAILDIR
	# Free ports; another process may take one before Dovecot binds it:
	# then again with others.
	for _try in 1 2 3; do
		# shellcheck disable=SC2046
		set -- $(_dovecot_free_ports 3)
		IMAPS_PORT=$1 IMAP_PORT=$2 IMAP2_PORT=$3
		export IMAPS_PORT IMAP_PORT IMAP2_PORT
		_dovecot_conf || return 1
		: > "$DOVECOT_DIR/start.err"
		_dovecot_launch 2>"$DOVECOT_DIR/launch.err" && return 0
		grep -q 'Address already in use' "$DOVECOT_DIR/start.err" || break
		dovecot_stop
	done
	cat "$DOVECOT_DIR/launch.err" >&2
	return 1
}

# dovecot_processes: "PID TITLE" of every process of this instance (its
# master "dovecot -c $DOVECOT_CONF" and "dovecot-$DOVECOT_INSTANCE/..."),
# read from /proc (a bare container may have no ps).
dovecot_processes() {
	[ -n "${DOVECOT_INSTANCE:-}" ] || return 0
	for _p in /proc/[0-9]*; do
		_a=$(tr '\0' ' ' < "$_p/cmdline" 2>/dev/null) || continue
		case $_a in
		"dovecot-$DOVECOT_INSTANCE/"* | *"dovecot -c $DOVECOT_CONF "*)
			_dovecot_alive "${_p#/proc/}" && printf '%s %s\n' "${_p#/proc/}" "${_a% }" ;;
		esac
	done
	return 0
}

dovecot_stop() {
	if _pid=$(_dovecot_master_pid); then
		kill "$_pid" 2>/dev/null
		_i=0
		while _dovecot_alive "$_pid"; do
			_i=$((_i + 1))
			if [ $_i -gt 200 ]; then # 10 s
				kill -9 "$_pid" 2>/dev/null
				sleep 0.2
				break
			fi
			sleep 0.05
		done
	fi
	if [ -n "${_dovecot_run_tmp:-}" ]; then
		rm -rf "$_dovecot_run_tmp"
		_dovecot_run_tmp=""
	fi
	return 0
}

# _dovecot_served_cert: the subject and SANs the IMAPS port serves now.
_dovecot_served_cert() {
	openssl s_client -connect "127.0.0.1:$IMAPS_PORT" -servername localhost </dev/null 2>/dev/null |
		openssl x509 -noout -fingerprint -sha256 2>/dev/null
}

# dovecot_use_cert good|wrongname|untrusted: serve that certificate from now on.
dovecot_use_cert() {
	case ${1:-} in
	good | wrongname | untrusted) ;;
	*) echo "dovecot_use_cert: good, wrongname or untrusted" >&2; return 2 ;;
	esac
	DOVECOT_CERT=$1
	export DOVECOT_CERT
	_want=$(openssl x509 -noout -fingerprint -sha256 -in "$DOVECOT_DIR/certs/$1.pem")
	[ "$(_dovecot_served_cert)" = "$_want" ] && return 0
	_dovecot_conf || return 1
	dovecot_doveadm reload || return 1
	# A reload is asynchronous: wait until new connections get the new one.
	_i=0
	while [ "$(_dovecot_served_cert)" != "$_want" ]; do
		_i=$((_i + 1))
		if [ $_i -gt 50 ]; then
			# Did not take: restart it instead.
			dovecot_stop
			_dovecot_launch || return 1
			[ "$(_dovecot_served_cert)" = "$_want" ] && return 0
			echo "# dovecot_use_cert: $1 is not served" >&2
			return 1
		fi
		sleep 0.1
	done
}

# _dovecot_folder_dir FOLDER: the folder's Maildir directory (created if missing).
_dovecot_folder_dir() {
	case $1 in
	INBOX) printf '%s\n' "$DOVECOT_MAILDIR"; return 0 ;;
	esac
	dovecot_doveadm mailbox create -u "$DOVECOT_USER" "$1" 2>/dev/null
	dovecot_doveadm mailbox path -u "$DOVECOT_USER" "$1"
}

# dovecot_seed FOLDER FILE...: each FILE (one message) appended to FOLDER.
dovecot_seed() {
	_f=$1
	shift
	[ "$_f" = INBOX ] || dovecot_doveadm mailbox create -u "$DOVECOT_USER" "$_f" 2>/dev/null
	for _m in "$@"; do
		dovecot_doveadm save -u "$DOVECOT_USER" -m "$_f" < "$_m" || return 1
	done
}

# dovecot_seed_many FOLDER N: N small distinct messages, written straight into
# the folder's cur/ (unread: no flags); Dovecot picks them up at its next sync.
# Message I of the K-th call (K counts the calls of this test, from 1) has
# Subject "msg I", Message-ID <seed-I.K@dovecot.test> and the word seedwordI.
# Most of its time is creating the N files (about 1 ms each on a slow disk).
dovecot_seed_many() {
	_dir=$(_dovecot_folder_dir "$1") || return 1
	[ -d "$_dir/cur" ] || { echo "dovecot_seed_many: no $_dir/cur" >&2; return 1; }
	_k=$(($(cat "$DOVECOT_DIR/seed.count" 2>/dev/null || echo 0) + 1))
	echo "$_k" > "$DOVECOT_DIR/seed.count"
	awk -v n="$2" -v dir="$_dir/cur" -v t="$(date +%s)" -v k="$_k" -v folder="$1" 'BEGIN {
		for (i = 1; i <= n; i++) {
			body = "Hello, this is seeded message " i " of " n ".\nIts word: seedword" i "\n"
			msg = "From: Seeder <seeder@dovecot.test>\n" \
				"To: Alice <alice@dovecot.test>\n" \
				"Subject: msg " i "\n" \
				"Date: Mon, 01 Jan 2024 00:00:00 +0000\n" \
				"Message-ID: <seed-" i "." k "@dovecot.test>\n" \
				"X-Seed-Folder: " folder "\n" \
				"MIME-Version: 1.0\n" \
				"Content-Type: text/plain; charset=us-ascii\n" \
				"\n" body
			# Maildir names: unique, with the size (S=) Dovecot trusts.
			f = sprintf("%s/%d.M%06dK%d.seed,S=%d:2,", dir, t, i, k, length(msg))
			printf "%s", msg > f
			close(f)
		}
	}' || return 1
	[ "$(id -u)" -ne 0 ] || chown -R "$_dovecot_uid:$_dovecot_gid" "$_dir"
	# Let Dovecot index them now, so the first IMAP SELECT is quick.
	dovecot_doveadm mailbox status -u "$DOVECOT_USER" messages "$1" >/dev/null
}

# dovecot_count FOLDER: how many messages FOLDER holds.
dovecot_count() {
	dovecot_doveadm -f flow mailbox status -u "$DOVECOT_USER" messages "$1" |
		sed -n 's/.*messages=\([0-9]*\).*/\1/p'
}

# dovecot_uidvalidity FOLDER
dovecot_uidvalidity() {
	dovecot_doveadm -f flow mailbox status -u "$DOVECOT_USER" uidvalidity "$1" |
		sed -n 's/.*uidvalidity=\([0-9]*\).*/\1/p'
}

# dovecot_flags FOLDER: "UID<TAB>FLAGS" per message, in UID order.
dovecot_flags() {
	dovecot_doveadm -f tab fetch -u "$DOVECOT_USER" 'uid flags' mailbox "$1" |
		awk -F '\t' 'NR > 1 {
			out = ""
			n = split($2, f, " ")
			for (i = 1; i <= n; i++)
				if (f[i] != "\\Recent")
					out = out (out == "" ? "" : " ") f[i]
			print $1 "\t" (out == "" ? "-" : out)
		}' | sort -n
}

# dovecot_reset_uidvalidity FOLDER: Dovecot forgets FOLDER's UIDs (index and
# dovecot-uidlist go) and gives it a new UIDVALIDITY, which is printed.
dovecot_reset_uidvalidity() {
	_dir=$(_dovecot_folder_dir "$1") || return 1
	dovecot_stop
	rm -f "$_dir"/dovecot-uidlist* "$_dir"/dovecot.index* \
		"$DOVECOT_MAILDIR"/dovecot.list.index*
	_dovecot_launch || return 1
	dovecot_uidvalidity "$1"
}

# dovecot_highestmodseq FOLDER
dovecot_highestmodseq() {
	dovecot_doveadm -f flow mailbox status -u "$DOVECOT_USER" highestmodseq "$1" |
		sed -n 's/.*highestmodseq=\([0-9]*\).*/\1/p'
}

# dovecot_imap_capability [CAPS]: restart with imap_capability = CAPS, the
# CAPABILITY answer (after login too), or with Dovecot's own without CAPS.
dovecot_imap_capability() {
	DOVECOT_IMAP_CAPABILITY=${1:-}
	export DOVECOT_IMAP_CAPABILITY
	_dovecot_conf || return 1
	dovecot_stop
	_dovecot_launch
}

# helper_stop PID: stop a helper started by the functions below.
helper_stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# _dovecot_wait_file FILE: wait (up to 10 s) until FILE is not empty.
_dovecot_wait_file() {
	_i=0
	while [ ! -s "$1" ]; do
		_i=$((_i + 1))
		[ $_i -le 200 ] || return 1
		sleep 0.05
	done
}

# cut_proxy_start HOST PORT BYTES [--fin|--hang] [--cuts K]: a proxy to
# HOST:PORT on 127.0.0.1:$CUT_PORT that cuts each connection (the first K)
# after BYTES bytes from the server.
cut_proxy_start() {
	_pf=$(mktemp "$TMP/cutport.XXXXXX")
	_h=$1 _p=$2 _b=$3
	shift 3
	python3 "$top_srcdir/tests/imap/cut-proxy.py" "$@" "$_pf" "$_h" "$_p" "$_b" 2>>"$TMP/cut-proxy.log" &
	CUT_PID=$!
	_dovecot_helpers="$_dovecot_helpers $CUT_PID"
	_dovecot_wait_file "$_pf" || { echo "# cut-proxy.py did not start" >&2; return 1; }
	CUT_PORT=$(cat "$_pf")
	export CUT_PORT CUT_PID
}

# stall_start: a server on 127.0.0.1:$STALL_PORT that accepts and says nothing.
stall_start() {
	_pf=$(mktemp "$TMP/stallport.XXXXXX")
	python3 "$top_srcdir/tests/imap/cut-proxy.py" --stall "$_pf" 2>>"$TMP/cut-proxy.log" &
	STALL_PID=$!
	_dovecot_helpers="$_dovecot_helpers $STALL_PID"
	_dovecot_wait_file "$_pf" || { echo "# cut-proxy.py --stall did not start" >&2; return 1; }
	STALL_PORT=$(cat "$_pf")
	export STALL_PORT STALL_PID
}

# tls10_start: openssl s_server on 127.0.0.1:$TLS10_PORT that speaks TLS 1.0
# and nothing newer (OpenSSL 3 needs security level 0 for TLS 1.0 at all),
# with the good localhost certificate. A client that insists on TLS >= 1.2
# must fail in the handshake.
tls10_start() {
	[ -n "${DOVECOT_DIR:-}" ] && [ -s "$DOVECOT_DIR/certs/good.pem" ] || {
		echo "# tls10_start: run dovecot_start first (it makes the certificates)" >&2
		return 1
	}
	_out="$TMP/tls10.out"
	: > "$_out"
	openssl s_server -accept 127.0.0.1:0 -tls1 -cipher 'DEFAULT:@SECLEVEL=0' \
		-cert "$DOVECOT_DIR/certs/good.pem" -key "$DOVECOT_DIR/certs/good.key" \
		-www </dev/null >"$_out" 2>"$TMP/tls10.err" &
	TLS10_PID=$!
	_dovecot_helpers="$_dovecot_helpers $TLS10_PID"
	_i=0
	while ! grep -q '^ACCEPT' "$_out"; do
		_i=$((_i + 1))
		[ $_i -le 200 ] || { echo "# openssl s_server did not start" >&2; return 1; }
		sleep 0.05
	done
	TLS10_PORT=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$_out" | head -n 1)
	export TLS10_PORT TLS10_PID
}

tls10_stop() {
	[ -n "${TLS10_PID:-}" ] && helper_stop "$TLS10_PID"
	TLS10_PID=""
}
