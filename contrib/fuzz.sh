#!/bin/sh
# Builds the libFuzzer targets of fuzz/ out of tree and runs each in turn,
# one process, for SECONDS (default 60); prints what each did and exits 1
# when one crashed (or broke a promise its harness checks).
#
#   contrib/fuzz.sh [SECONDS] [TARGET...]     TARGET: parse mbox query config filename mutf7 html tnef
#
# Everything goes under $MC_FUZZ_DIR (default ${TMPDIR:-/tmp}/mailclerk-fuzz),
# never into the source tree: build/ (configure CC=clang --enable-fuzzing;
# src/ holds a copy of the sources when the tree is configured in place),
# corpus/TARGET/ (what the fuzzer found, kept between runs), seeds/TARGET/
# (remade each run from tests/corpus, fuzz/seeds and fuzz/regress),
# findings/TARGET/ (crash-*, leak-*, timeout-*, oom-* inputs), logs/TARGET.log
# and summary.tsv (target, seconds, executions, crashes, PASS or FAIL).
# The build needs the Debian packages clang and libclang-rt-dev
# (contrib/bootstrap.sh deps installs them). MC_FUZZ_JOBS: make's -j (2).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
all_targets="parse mbox query config filename mutf7 html tnef"
# Enough for every structure of real mail and quick to mutate; limits that
# take megabytes to reach (huge headers) are for unit tests.
max_len=65536

seconds=60
case ${1:-} in
'') ;;
*[!0-9]*) ;;
*)
	seconds=$1
	shift
	;;
esac
targets=${*:-$all_targets}
for t in $targets; do
	case " $all_targets " in
	*" $t "*) ;;
	*)
		echo "usage: contrib/fuzz.sh [SECONDS] [TARGET...]; targets: $all_targets" >&2
		exit 2
		;;
	esac
done

work=${MC_FUZZ_DIR:-${TMPDIR:-/tmp}/mailclerk-fuzz}
case $work in
"$top" | "$top"/*)
	echo "fuzz: MC_FUZZ_DIR=$work is inside the source tree; pick a directory outside it" >&2
	exit 2
	;;
esac
mkdir -p "$work/build" "$work/logs"
rm -f "$work/summary.tsv"

# Build out of tree. A source tree configured in place (contrib/bootstrap.sh
# build does that) cannot be built out of tree: then build a copy of the
# files git knows, uncommitted changes included.
src=$top
if [ -f "$top/config.status" ]; then
	if ! git -C "$top" rev-parse --git-dir > /dev/null 2>&1; then
		echo "fuzz: $top is configured in place and is no git checkout; run 'make distclean' there first" >&2
		exit 1
	fi
	src=$work/src
	mkdir -p "$src"
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		(cd "$top" && tar --null -T - -cf -) | tar -C "$src" -xf -
fi
[ -x "$src/configure" ] || (cd "$src" && ./autogen.sh > "$work/logs/autogen.log" 2>&1)
cd "$work/build"
# A build of another source tree (MC_FUZZ_DIR is shared) starts again.
if [ -f Makefile ] && [ "$(sed -n 's/^abs_top_srcdir = //p' Makefile)" != "$src" ]; then
	find . -mindepth 1 -delete
fi
if [ ! -f Makefile ]; then
	"$src/configure" CC=clang --enable-fuzzing > "$work/logs/configure.log" 2>&1 || {
		tail -n 20 "$work/logs/configure.log" >&2
		echo "fuzz: configure failed; see $work/logs/configure.log" >&2
		exit 1
	}
fi
if ! make -j"${MC_FUZZ_JOBS:-2}" > "$work/logs/build.log" 2>&1; then
	tail -n 30 "$work/logs/build.log" >&2
	echo "fuzz: the build failed; see $work/logs/build.log" >&2
	exit 1
fi

# Copies the files of the directories given (if any) into DEST.
copy_files() {
	dest=$1
	shift
	for d in "$@"; do
		[ -d "$d" ] || continue
		find "$d" -type f ! -name .gitkeep -exec cp {} "$dest/" \;
	done
}

# Seeds: the bundled sample mail for the parser and the mbox splitter,
# hand-written ones for the rest, and every input that once crashed.
make_seeds() {
	seeds=$work/seeds/$1
	rm -rf "$seeds"
	mkdir -p "$seeds"
	copy_files "$seeds" "$top/fuzz/seeds/$1" "$top/fuzz/regress/$1"
	case $1 in
	parse) copy_files "$seeds" "$top/tests/corpus/eml" "$top/tests/corpus/maildir" ;;
	mbox)
		copy_files "$seeds" "$top/tests/corpus/mbox"
		# The maildir messages as one mboxrd file.
		find "$top/tests/corpus/maildir" -type f ! -name .gitkeep | LC_ALL=C sort |
			while read -r f; do
				printf 'From fuzz@example.com Mon Jan  1 00:00:00 2024\n'
				sed 's/^>*From />&/' "$f"
				printf '\n'
			done > "$seeds/maildir.mbox"
		;;
	esac
}

# How many inputs libFuzzer saved (crash-*, leak-*, timeout-*, oom-*), as
# its log says; the same input saved twice counts once.
saved() {
	sed -n 's/.*Test unit written to //p' "$1" | sort -u | wc -l
}

status=0
printf '%-10s %8s %12s %8s\n' target seconds executions crashes
for t in $targets; do
	make_seeds "$t"
	mkdir -p "$work/corpus/$t" "$work/findings/$t"
	dict=""
	[ -f "$top/fuzz/dict/$t.dict" ] && dict="-dict=$top/fuzz/dict/$t.dict"
	log=$work/logs/$t.log
	: > "$log"
	start=$(date +%s)
	left=$seconds
	execs=0
	runs=0
	result=PASS
	# libFuzzer stops at the first crash: start it again for the time left,
	# a few times, so that one crash does not end the target's run.
	while [ "$left" -gt 0 ] && [ "$runs" -lt 5 ]; do
		runs=$((runs + 1))
		had=$(saved "$log")
		writes=$(grep -c 'Test unit written to' "$log" || :)
		rc=0
		# shellcheck disable=SC2086
		G_SLICE=always-malloc UBSAN_OPTIONS=print_stacktrace=1 \
			"./fuzz/fuzz-$t" -max_total_time="$left" -max_len=$max_len -timeout=25 \
			-print_final_stats=1 -artifact_prefix="$work/findings/$t/" $dict \
			"$work/corpus/$t" "$work/seeds/$t" >> "$log" 2>&1 || rc=$?
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		execs=$((execs + ${n:-0}))
		if [ "$rc" -ne 0 ]; then
			result=FAIL
			if [ "$(grep -c 'Test unit written to' "$log" || :)" -eq "$writes" ]; then
				echo "fuzz: $t exited with status $rc and saved no input; see $log"
				break
			fi
			# The same input again (a seed that crashes): starting over
			# would only find it once more.
			[ "$(saved "$log")" -gt "$had" ] || break
		fi
		left=$((seconds - ($(date +%s) - start)))
	done
	took=$(($(date +%s) - start))
	crashes=$(saved "$log")
	[ "$result" = PASS ] || status=1
	printf '%-10s %8s %12s %8s\n' "$t" "$took" "$execs" "$crashes"
	printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$took" "$execs" "$crashes" "$result" >> "$work/summary.tsv"
done

# What went wrong, where CI logs show it.
# shellcheck disable=SC2013 # target names are single words
for t in $(awk -F'\t' '$5 == "FAIL" { print $1 }' "$work/summary.tsv"); do
	echo
	echo "== $t: inputs in $work/findings/$t/, log $work/logs/$t.log; the first report:"
	grep -m 1 -A 24 -E '^(==[0-9]+== ?ERROR|fuzz: |.*runtime error:)' "$work/logs/$t.log" ||
		tail -n 25 "$work/logs/$t.log"
done
exit "$status"
