#!/bin/sh
# Shell completion: `mailclerk complete` (the words, each from where it is
# defined), contrib/completion/mailclerk.bash driven as bash drives it
# (COMP_WORDS, COMP_CWORD, COMP_LINE), and contrib/completion/_mailclerk in
# an interactive zsh on a pseudo-terminal (zsh/zpty).
. "$top_srcdir/tests/lib.sh"
plan 62
TAB=$(printf '\t')

# The commands completion offers are the table's, as --help lists them.
help_names=$("$MAILCLERK" --help | sed -n '/^Commands:/,/^$/s/^  \(.\{17\}\).*/\1/p' | sed 's/ *$//')
check_eq 'complete commands: the command table, as --help lists it' \
	"$("$MAILCLERK" complete commands | cut -f1)" "$help_names"
check_eq '... each with its summary' "$("$MAILCLERK" complete commands | grep '^attachments save')" \
	"attachments save${TAB}save them into a folder, or each project's folder"
check_eq 'complete itself is in neither' "$(printf '%s\n' "$help_names" | grep -c '^complete')" 0
check_eq 'complete options: those before a command' "$("$MAILCLERK" complete options)" \
	"--config=${TAB}configuration file (default \$XDG_CONFIG_HOME/mailclerk/config)${TAB}FILE
--db=${TAB}index database (default \$XDG_DATA_HOME/mailclerk/index.db)${TAB}FILE
--version${TAB}print the version and exit
--help${TAB}show the options"
check_eq 'complete options followups snooze: a second word' \
	"$("$MAILCLERK" complete options followups snooze)" \
	"--until=${TAB}until DATE (as date: takes it, ahead: 2w, 2025-01-10)
--note=${TAB}a note kept with the mark
--help${TAB}show the options"
check_eq '... --format with the formats the command prints' \
	"$("$MAILCLERK" complete options search | grep '^--format=')" \
	"--format=${TAB}text, json, files or files0 (text is the default)${TAB}text|json|files|files0"
check_eq '... a command mailclerk-mail runs (ingest), FILE for a file name' \
	"$("$MAILCLERK" complete options ingest | sed -n 1p)" \
	"--maildir=${TAB}a maildir, and every maildir below it (repeatable)${TAB}FILE"
# Every command parses its options before it does anything, so that it can
# describe them; one that did not would print nothing, or more.
bad=""
for c in $("$MAILCLERK" complete commands | cut -f1 | tr ' ' '+'); do
	c=$(printf '%s' "$c" | tr '+' ' ')
	# shellcheck disable=SC2086
	last=$("$MAILCLERK" complete options $c 2>&1 | tail -n 1)
	[ "$last" = "--help${TAB}show the options" ] || bad="$bad [$c]"
done
check_eq 'every command of the table describes its options' "$bad" ""
check_eq 'complete args timeline' "$("$MAILCLERK" complete args timeline)" 'CLIENT[/PROJECT]'
check_eq 'complete args attachments save' "$("$MAILCLERK" complete args attachments save)" 'QUERY...'
check_eq 'complete args ingest' "$("$MAILCLERK" complete args ingest)" '[NAME...]'
check_eq 'complete fields: the query fields' "$("$MAILCLERK" complete fields | tr '\n' ' ')" \
	'subject: body: attachment: from: to: cc: address: folder: source: label: id: thread: is: has: type: date: client: project: '
check_eq 'an unknown command has nothing to complete' "$("$MAILCLERK" complete options frobnicate 2>&1; echo "rc=$?")" 'rc=0'
err=$("$MAILCLERK" complete nonsense 2>&1)
check_eq 'complete WHAT it does not know: exit 2' "$?" 2
check_eq '... naming it' "$err" "mailclerk complete: 'nonsense' is none of commands, options [COMMAND], args COMMAND, fields, clients, projects, sources"

# No configuration: nothing, silently.
check_eq 'no configuration: no clients, nothing on stderr, exit 0' \
	"$("$MAILCLERK" complete clients 2>&1; echo "rc=$?")" 'rc=0'
mkdir -p "$XDG_CONFIG_HOME/mailclerk"
cat > "$XDG_CONFIG_HOME/mailclerk/config" <<'CFG'
[source laptop]
type = maildir
path = ~/Mail

[client acme]
name = ACME\tCorp
domains = acme.example

[project acme/website]
name = Website

[client globex]
domains = globex.example
CFG
check_eq 'complete clients: keys and names (a tab in a name is a space)' \
	"$("$MAILCLERK" complete clients)" "acme${TAB}ACME Corp
globex${TAB}globex"
check_eq 'complete projects: CLIENT/KEY' "$("$MAILCLERK" complete projects)" "acme/website${TAB}Website"
check_eq 'complete sources' "$("$MAILCLERK" complete sources)" "laptop${TAB}maildir"
printf '[client broken\n' > "$TMP/broken"
check_exit 'a broken configuration is exit 2 for clients' 2 "$MAILCLERK" --config "$TMP/broken" clients
check_eq '... but complete clients says nothing and exits 0' \
	"$("$MAILCLERK" --config "$TMP/broken" complete clients 2>&1; echo "rc=$?")" 'rc=0'
check_eq '... nor for a MAILCLERK_CONFIG that is missing' \
	"$(MAILCLERK_CONFIG="$TMP/missing" "$MAILCLERK" complete clients 2>&1; echo "rc=$?")" 'rc=0'

# bash: COMP_WORDS split as bash splits a line for completion (at blanks,
# and ':' and '=' are words of their own outside quotes; verified against
# an interactive bash), COMP_LINE the words as typed.
BASH_SCRIPT="$top_srcdir/contrib/completion/mailclerk.bash"
# bcomp WORD...: COMPREPLY for the line of WORDs, the last being completed.
bcomp() {
	bash -c '. "$1"; shift
		COMP_LINE= prev=
		for w in "$@"; do
			case $w in [:=]) prev=$w ;; esac
			case $prev in [:=]) COMP_LINE+=$w ;; *) COMP_LINE+=${COMP_LINE:+ }$w ;; esac
			case $w in [:=]) prev=$w ;; *) prev= ;; esac
		done
		COMP_POINT=${#COMP_LINE} COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
		_mailclerk
		printf "%s\n" "${COMPREPLY[@]}"' - "$BASH_SCRIPT" "$MAILCLERK" "$@" 2>&1
}
if ! command -v bash >/dev/null 2>&1; then
	for i in $(seq 26); do skip 'bash completion' 'bash is not installed'; done
else
	check_eq 'bash: the script is valid bash' "$(bash -n "$BASH_SCRIPT" 2>&1; echo "rc=$?")" 'rc=0'
	check_eq 'bash: commands (first words)' "$(bcomp '' | tr '\n' ' ')" \
		"$("$MAILCLERK" complete commands | cut -f1 | cut -d' ' -f1 | LC_ALL=C sort -u | tr '\n' ' ')"
	check_eq 'bash: a command from its start' "$(bcomp tim)" timeline
	check_eq 'bash: options before a command' "$(bcomp --d)" '--db='
	check_eq 'bash: the options of the command' "$(bcomp search --fo)" '--format='
	check_eq 'bash: --format=: the formats' "$(bcomp search --format = '')" 'text
json
files
files0'
	check_eq '... --format=j' "$(bcomp search --format = j)" json
	check_eq 'bash: the second words and the query fields' "$(bcomp attachments s)" 'save
subject:
source:'
	check_eq 'bash: options of a second word' "$(bcomp followups snooze --)" '--until=
--note=
--help'
	check_eq 'bash: query fields' "$(bcomp search cl)" 'client:'
	check_eq 'bash: client: keys' "$(bcomp search date : 2024 client : '')" 'acme
globex'
	check_eq '... client:gl' "$(bcomp search client : gl)" globex
	check_eq '... project: as CLIENT/KEY' "$(bcomp count project : '')" acme/website
	check_eq 'bash: a field after a blank inside quotes' "$(bcomp search "'invoice cl")" 'invoice client:'
	check_eq '... and its value' "$(bcomp search "\"invoice client:ac")" 'invoice client:acme'
	check_eq '... no field is offered for another field'"'"'s value' "$(bcomp search from : cl)" ''
	check_eq 'bash: CLIENT[/PROJECT] of timeline' "$(bcomp timeline '')" 'acme
globex
acme/website'
	check_eq 'bash: CLIENT of contacts (no projects)' "$(bcomp contacts '')" 'acme
globex'
	check_eq 'bash: followups: its second words, clients and projects' "$(bcomp followups '' | tr '\n' ' ')" \
		'done snooze undo acme globex acme/website '
	check_eq 'bash: ingest: the sources' "$(bcomp ingest '')" laptop
	mkdir -p "$TMP/mailboxes"
	check_eq 'bash: a file name for --maildir' "$(bcomp ingest --maildir "$TMP/mailb")" "$TMP/mailboxes"
	printf '[client other]\n' > "$TMP/other"
	check_eq 'bash: --config on the line is the configuration read' \
		"$(bcomp --config "$TMP/other" search client : '')" other
	check_eq 'bash: a file name for the global --config' "$(bcomp --config "$TMP/oth")" "$TMP/other"
	check_eq '... and --config=' "$(bcomp --config = "$TMP/oth")" "$TMP/other"
	check_eq 'bash: links DIR: a directory first' "$(bcomp links "$TMP/mailb")" "$TMP/mailboxes"
	check_eq '... then the query' "$(bcomp links "$TMP/mailboxes" --limit 5 cl)" 'client:'
fi
check_eq 'bash: a broken configuration: nothing, silently' \
	"$(MAILCLERK_CONFIG="$TMP/broken" bcomp search client : '')" ''

# zsh: the script in an interactive zsh, TAB typed on a pseudo-terminal; the
# line after each completion is written to a file by a widget.
ZSH_DIR="$top_srcdir/contrib/completion"
if ! command -v zsh >/dev/null 2>&1; then
	for i in $(seq 13); do skip 'zsh completion' 'zsh is not installed'; done
elif ! zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
	check_eq 'zsh: the script is valid zsh' "$(zsh -n "$ZSH_DIR/_mailclerk" 2>&1; echo "rc=$?")" 'rc=0'
	for i in $(seq 12); do skip 'zsh completion' 'zsh has no zsh/zpty module'; done
else
	check_eq 'zsh: the script is valid zsh' "$(zsh -n "$ZSH_DIR/_mailclerk" 2>&1; echo "rc=$?")" 'rc=0'
	mkdir -p "$TMP/bin"
	ln -s "$MAILCLERK" "$TMP/bin/mailclerk"
	ln -s "$top_builddir/mailclerk-mail" "$TMP/bin/mailclerk-mail"
	# zcomp LINE...: the line after TAB, for each LINE (one line each).
	zcomp() {
		: > "$TMP/zout"
		PATH="$TMP/bin:$PATH" zsh -f -c '
			zmodload zsh/zpty
			dir=$1 out=$2; shift 2
			zpty z zsh -f -i
			zpty -w z "PS1= RPS1=; fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -D"
			zpty -w z "dump() { print -r -- \"<\$BUFFER>\" >> $out; BUFFER=; }; zle -N dump; bindkey \"^T\" dump"
			for line in "$@"; do zpty -w -n z "$line"$'"'\t\x14'"'; done
			zpty -w z "print -r -- END >> $out"
			# Waits for the shell to get there (not a timing check).
			for i in {1..600}; do grep -qx END $out 2>/dev/null && break; sleep 0.1; done
			zpty -d z' - "$ZSH_DIR" "$TMP/zout" "$@"
		grep -v '^END$' "$TMP/zout"
	}
	out=$(zcomp 'mailclerk tim' 'mailclerk search cl' 'mailclerk search client:gl' \
		"mailclerk search 'invoice cl" "mailclerk search 'invoice client:ac" \
		'mailclerk search --form' 'mailclerk count --format=j' 'mailclerk timeline acme/w' \
		'mailclerk followups sn' 'mailclerk ingest --mb' "mailclerk --config $TMP/oth" \
		"mailclerk links $TMP/mailb")
	line() { printf '%s\n' "$out" | sed -n "$1p"; }
	check_eq 'zsh: a command' "$(line 1)" '<mailclerk timeline >'
	check_eq 'zsh: a query field' "$(line 2)" '<mailclerk search client:>'
	check_eq 'zsh: a client key' "$(line 3)" '<mailclerk search client:globex >'
	check_eq 'zsh: a field after a blank inside quotes (the quote left open)' "$(line 4)" "<mailclerk search 'invoice client:>"
	check_eq '... and its value (the quote closed: zsh does so after a whole word)' "$(line 5)" "<mailclerk search 'invoice client:acme' >"
	check_eq 'zsh: an option that takes a value' "$(line 6)" '<mailclerk search --format=>'
	check_eq 'zsh: count has no --format' "$(line 7)" '<mailclerk count --format=j>'
	check_eq 'zsh: CLIENT/PROJECT' "$(line 8)" '<mailclerk timeline acme/website >'
	check_eq 'zsh: a second word' "$(line 9)" '<mailclerk followups snooze >'
	check_eq 'zsh: an option of a command mailclerk-mail runs' "$(line 10)" '<mailclerk ingest --mbox=>'
	check_eq 'zsh: a file name for the global --config' "$(line 11)" "<mailclerk --config $TMP/other >"
	check_eq 'zsh: links DIR: a directory first' "$(line 12)" "<mailclerk links $TMP/mailboxes/>"
fi
