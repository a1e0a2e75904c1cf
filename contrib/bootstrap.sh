#!/bin/sh
# Set up a fresh Debian machine for mailclerk, build it, then:
#   contrib/bootstrap.sh demo    ingest the bundled sample mail and show what mailclerk does
#   contrib/bootstrap.sh check   run the test suite (make check)
#   contrib/bootstrap.sh fuzz [SECONDS]   run every fuzz target (contrib/fuzz.sh), out of tree
#   contrib/bootstrap.sh deps    only install the packages
#   contrib/bootstrap.sh build   install the packages and build
set -eu

# Everything the build, the tests and the demo need, by Debian package name.
PACKAGES="build-essential autoconf automake pkg-config
libglib2.0-dev libgmime-3.0-dev libsqlite3-dev libpcre2-dev libgnutls28-dev nettle-dev libzstd-dev libetpan-dev libxxhash-dev
libpoppler-glib-dev libytnef0-dev libjemalloc-dev libunistring-dev
sqlite3 jq python3 tnef python3-vobject khard
zsh bash-completion systemd
dovecot-imapd openssl isync
clang libclang-rt-dev"
# zsh, bash-completion and systemd: tests/cli/complete.sh runs the zsh
# completion, configure asks bash-completion's and systemd's pkg-config files
# where to install, and tests/cli/systemd-units.sh runs systemd-analyze.
# Installing systemd in a container only adds files: it does not become
# PID 1 or start anything there.
# tnef (a TNEF reader apart from libytnef) checks tests/cli/tnef.sh's samples;
# python3-vobject and khard read back the vCards of tests/cli/contacts.sh.
# libunistring-dev: mailclerk-mail links GnuTLS statically, which calls
# libunistring (configure.ac, --disable-static-mail).
# clang and libclang-rt-dev (libclang-rt-14-dev on Debian 12: libFuzzer and
# the sanitizer runtimes) are for the fuzz targets (contrib/fuzz.sh).

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

deps() {
	missing=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "bootstrap: installing$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	$sudo apt-get install -y -q --no-install-recommends $missing
}

build() {
	deps
	[ -x configure ] || ./autogen.sh
	[ -f Makefile ] || ./configure
	make -j"$(nproc)"
}

demo() {
	build
	work=$(mktemp -d "${TMPDIR:-/tmp}/mailclerk-demo.XXXXXX")
	sed "s|@CORPUS@|$top/tests/corpus|g" contrib/demo/config > "$work/config"
	mc() { ./mailclerk --config "$work/config" --db "$work/index.db" "$@"; }
	show() { # prints the command as a user would type it, then runs it
		printf '\n$ mailclerk'
		for a in "$@"; do
			case $a in
			*[!A-Za-z0-9@:._/=-]*) printf " '%s'" "$a" ;;
			*) printf ' %s' "$a" ;;
			esac
		done
		printf '\n'
		mc "$@"
	}
	echo "== mailclerk demo: the sample mail in tests/corpus, the index in $work"
	echo "== config ($work/config):"
	cat "$work/config"
	show ingest
	show count '*'
	show search --limit 5 'from:@acme.example'
	show search 'contract OR invoice'
	show search 'is:outbound date:2024'
	show search 报价单
	# Flags from Maildir names and mbox Status (a Takeout's from its
	# labels), Gmail labels, folding (Jürgen, typed plainly)
	show search is:unread
	show search 'label:forums OR label:"category personal"'
	show count jurgen
	show search client:globex
	# newsletters, notifications, auto-replies: explain says by which sign
	show search is:automated
	show explain "id:newsletter.2024-06.4411@news.globex.example"
	# a key that names nothing is an error (exit 2) that suggests the nearest
	show search client:globx || true
	# a word found only inside a PDF attachment (when built with poppler-glib)
	show search quillofrax
	show count project:acme/website
	show explain "id:65e58e10.9c2d@studio.example"
	# Clients, projects and follow-ups as they stood on 1 April 2024: the
	# follow-up columns count what followups lists then: what you owe, what
	# to chase, who has gone quiet (the Globex newsletter is automated, so
	# it is neither owed nor an exchange). Two threads dealt with elsewhere
	# are marked: one done (answered by phone), one snoozed for two weeks.
	MAILCLERK_NOW=2024-04-01 show clients
	MAILCLERK_NOW=2024-04-01 show projects
	MAILCLERK_NOW=2024-04-01 show followups
	MAILCLERK_NOW=2024-04-01 show followups done "id:6d2f1c4e-rates@acme.example" --note 'called Lena'
	MAILCLERK_NOW=2024-04-01 show followups snooze "id:20240220093000.logo@acme.example" --until 2w
	MAILCLERK_NOW=2024-04-01 show followups --done
	MAILCLERK_NOW=2024-04-01 show followups acme/website
	# Once the snooze has ended, the logo thread is back.
	MAILCLERK_NOW=2024-04-20 show followups acme/website
	show timeline --since 2024-03 acme
	show contacts acme
	# The address book for mail clients: mutt's query_command answer, and
	# vCards 4.0 (khard, or any address book)
	show contacts --format=mutt --query lena
	show contacts --format=vcard --query lena acme
	# Results a mail client opens: one file per message, and a Maildir of
	# links to them (neomutt: README, "Use with neomutt/mutt")
	show search --format=files client:globex
	show links "$work/results" client:globex
	ls "$work/results/cur"
	show attachments
	# Saved beside the demo's index, not into the user's folders.
	show attachments save --by-project '*'
	echo "(the tree it made, under $work/attachments:)"
	(cd "$work/attachments" && find . -type f | LC_ALL=C sort)
	show attachments save --by-project '*'
	printf '(saved again: every file was a duplicate, nothing was written)\n'
	show search --format=json --limit 1 'has:attachment type:pdf'
	show thread "id:20240205090000.kickoff@acme.example"
	show show "id:20240205090000.kickoff@acme.example"
	show ingest
	printf '\n(the second ingest found nothing new: unchanged folders are not read)\n'
	# watch keeps an index current by itself: a maildir of its own here
	# (the sample mail is not to be written to), a message delivered as an
	# MDA does, searchable well within a second.
	mkdir -p "$work/drop/cur" "$work/drop/new" "$work/drop/tmp"
	printf '[source drop]\ntype = maildir\npath = %s\n' "$work/drop" > "$work/watch-config"
	wmc() { ./mailclerk --config "$work/watch-config" --db "$work/watch.db" "$@"; }
	printf '\n$ mailclerk watch &    (with a config of one maildir, %s)\n' "$work/drop"
	# The program itself in the background (not through a function, whose
	# subshell would be what $! names).
	./mailclerk --config "$work/watch-config" --db "$work/watch.db" watch &
	watcher=$!
	sleep 1
	printf 'From: Lena Fischer <lena@acme.example>\nTo: you@studio.example\nSubject: Signed contract\nMessage-ID: <demo-watch@acme.example>\nDate: Mon, 01 Apr 2024 09:00:00 +0000\n\nThe signed contract is attached as agreed.\n' > "$work/drop/tmp/1711962000.demo.studio"
	mv "$work/drop/tmp/1711962000.demo.studio" "$work/drop/new/1711962000.demo.studio"
	printf '(a message delivered into %s/new)\n' "$work/drop"
	i=0
	while [ "$(wmc count 'signed contract' 2>/dev/null)" != 1 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	printf '\n$ mailclerk search '"'"'signed contract'"'"'\n'
	wmc search 'signed contract'
	kill -TERM "$watcher"
	wait "$watcher" || true
	printf '(watch stopped by SIGTERM)\n'
}

case "${1:-build}" in
deps) deps ;;
build) build ;;
demo) demo ;;
check)
	build
	make check
	;;
fuzz)
	deps
	shift
	contrib/fuzz.sh "$@"
	;;
*)
	echo "usage: contrib/bootstrap.sh [deps|build|demo|check|fuzz [SECONDS]]" >&2
	exit 2
	;;
esac
