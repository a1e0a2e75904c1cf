#!/bin/sh
# Attachment folders in step with filing: the saved_files record, files
# moved (not copied) when their message is filed elsewhere, the attachments
# root beside the index and attachments_dir.
. "$top_srcdir/tests/lib.sh"
plan 52

R="$TMP/attachments" # beside $DB
U="$R/acme/_unsorted"
W="$R/acme/web"
mkdir -p "$TMP/mail/cur" "$TMP/mail/new" "$TMP/mail/tmp"
# Each message a minute after the last: saves go oldest first, whatever
# order the maildir is read in.
n=10
mkmsg() { # mkmsg NAME FROM SUBJECT ATTACHMENT-NAME CONTENT [PARENT]
	n=$((n + 1))
	cat > "$TMP/mail/cur/$1:2,S" <<MSG
From: $2
To: sam@studio.example
Subject: $3
Date: Fri, 05 Jan 2024 09:$n:00 +0000
Message-ID: <$1@test>
In-Reply-To: <${6:-$1-parent}@test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=B

--B
Content-Type: text/plain

hi
--B
Content-Type: text/plain; name="$4"
Content-Disposition: attachment; filename="$4"

$5
--B--
MSG
}
# Every file under a folder with the first 16 hex digits of its hash.
tree() { (cd "$1" && find . -type f | LC_ALL=C sort | while IFS= read -r f; do
	echo "$f $(sha256sum < "$f" | cut -c1-16)"; done); }
# The record: path (under $R as R), message, part, size, by_project, client, project.
rows() { sqlite3 -separator ' ' "$DB" "SELECT replace(path, '$R', 'R'), message, part, size, by_project, client, project, coalesce(replace(moving_from, '$R', 'R'), '-') FROM saved_files ORDER BY path, message"; }
# The file names alone.
names() { tree "$1" | sed 's/ [0-9a-f]*$//'; }
# Files' contents, a line each (an attachment's last line has no newline).
contents() { for f; do cat "$f"; echo; done; }
id() { ids "id:$1@test"; }
client_only='[client acme]
domains = acme.example'
with_web="$client_only
[project acme/web]
match = subject:/\\[web\\]/"

# Mail of one client, saved before any project exists: all of it goes to
# acme/_unsorted. Then a project appears, reclassify files the [web] mail
# under it, and the next save moves what it saved before.
printf '%s\n' "$client_only" > "$TMP/config"
mkmsg m1 bob@acme.example '[web] mockups' mockup.txt 'mockup one'
mkmsg m2 bob@acme.example 'invoice' invoice.txt 'invoice one'
mkmsg m3 bob@acme.example '[web] edited' brief.txt 'brief one'
mkmsg m4 bob@acme.example '[web] renamed' plan.txt 'plan one'
mkmsg m5 bob@acme.example '[web] mockups again' mockup.txt 'mockup one'
mkmsg m6 bob@acme.example '[web] invoice copy' invoice.txt 'invoice one'
mkmsg m7 bob@acme.example '[web] collide' c.txt 'c one'
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1
m1=$(id m1) m2=$(id m2) m3=$(id m3) m4=$(id m4) m5=$(id m5) m6=$(id m6) m7=$(id m7)
mc attachments save --by-project '*' >/dev/null 2>"$TMP/err"
check_eq 'first save: everything into acme/_unsorted' "$(tail -n 1 "$TMP/err"; names "$R")" \
"attachments save: 5 saved, 0 moved, 2 duplicates, 0 failed
./acme/_unsorted/2024-01-05_brief.txt
./acme/_unsorted/2024-01-05_c.txt
./acme/_unsorted/2024-01-05_invoice.txt
./acme/_unsorted/2024-01-05_mockup.txt
./acme/_unsorted/2024-01-05_plan.txt"
check_eq 'saved_files: a row per file written, and per part whose bytes were a recorded file' "$(rows)" \
"R/acme/_unsorted/2024-01-05_brief.txt $m3 2 9 1 acme  -
R/acme/_unsorted/2024-01-05_c.txt $m7 2 5 1 acme  -
$(printf 'R/acme/_unsorted/2024-01-05_invoice.txt %s 2 11 1 acme  -\n' $(printf '%s\n' "$m2" "$m6" | sort -n))
$(printf 'R/acme/_unsorted/2024-01-05_mockup.txt %s 2 10 1 acme  -\n' $(printf '%s\n' "$m1" "$m5" | sort -n))
R/acme/_unsorted/2024-01-05_plan.txt $m4 2 8 1 acme  -"
check_eq 'saved_files: the SHA-256 of the bytes written, and when' \
	"$(sqlite3 "$DB" "SELECT sha256, saved > 1700000000 FROM saved_files WHERE message = $m1")" \
	"$(sha256sum < "$U/2024-01-05_mockup.txt" | cut -d' ' -f1)|1"

# The user's doings: an edited copy, a renamed one, a file of their own, and
# a file in the project's folder-to-be whose name differs only in case.
printf 'brief one\nmy edits\n' > "$U/2024-01-05_brief.txt"
cp "$U/2024-01-05_brief.txt" "$TMP/brief.edited"
mv "$U/2024-01-05_plan.txt" "$U/my plan.txt"
echo 'my notes' > "$U/notes.txt"
mkdir -p "$W"
echo 'my own C' > "$W/2024-01-05_C.txt"
printf '%s\n' "$with_web" > "$TMP/config"
mc reclassify >/dev/null

before_tree=$(tree "$R")
before_rows=$(sqlite3 "$DB" 'SELECT * FROM saved_files ORDER BY path, message')
out=$(mc attachments save --dry-run --by-project '*' 2>&1)
check_eq '--dry-run shows the planned moves' "$(printf '%s\n' "$out" | grep -e move -e remove -e kept -e 'attachments save')" \
"would move $U/2024-01-05_mockup.txt → $W/2024-01-05_mockup.txt
kept $U/2024-01-05_brief.txt (changed since it was saved)
would move $U/2024-01-05_c.txt → $W/2024-01-05_c (2).txt
attachments save: 3 to save, 2 to move, 2 duplicates, 0 failed"
check_eq '--dry-run changes nothing on disk' "$(tree "$R")" "$before_tree"
check_eq '--dry-run changes nothing in the index' "$(sqlite3 "$DB" 'SELECT * FROM saved_files ORDER BY path, message')" "$before_rows"

mc attachments save --by-project '*' > "$TMP/out" 2>"$TMP/err"
check_eq 'the save moves what it saved, keeps what the user changed' "$(grep -e move -e kept "$TMP/out")" \
"moved $U/2024-01-05_mockup.txt → $W/2024-01-05_mockup.txt
kept $U/2024-01-05_brief.txt (changed since it was saved)
moved $U/2024-01-05_c.txt → $W/2024-01-05_c (2).txt"
check_eq '... and says so' "$(cat "$TMP/err")" "attachments save: 3 saved, 2 moved, 2 duplicates, 0 failed"
check_eq 'the folders after the move' "$(names "$R")" \
"./acme/_unsorted/2024-01-05_brief.txt
./acme/_unsorted/2024-01-05_invoice.txt
./acme/_unsorted/my plan.txt
./acme/_unsorted/notes.txt
./acme/web/2024-01-05_C.txt
./acme/web/2024-01-05_brief.txt
./acme/web/2024-01-05_c (2).txt
./acme/web/2024-01-05_invoice.txt
./acme/web/2024-01-05_mockup.txt
./acme/web/2024-01-05_plan.txt"
check_eq 'the moved file: in acme/web, gone from _unsorted, one copy in all' \
	"$(contents "$W/2024-01-05_mockup.txt"; test -e "$U/2024-01-05_mockup.txt" && echo still; grep -rlx 'mockup one' "$R" | wc -l)" \
	"mockup one
1"
check 'the edited copy is untouched, byte for byte' cmp -s "$U/2024-01-05_brief.txt" "$TMP/brief.edited"
check_eq '... and acme/web has a fresh copy of the original' "$(contents "$W/2024-01-05_brief.txt")" "brief one"
check_eq 'the renamed copy stays; acme/web has a fresh copy' "$(contents "$U/my plan.txt" "$W/2024-01-05_plan.txt")" "plan one
plan one"
check_eq "the user's own file is untouched" "$(cat "$U/notes.txt")" "my notes"
check_eq "a taken name (any case) gives (2), never overwritten" "$(cat "$W/2024-01-05_C.txt"; contents "$W/2024-01-05_c (2).txt")" "my own C
c one"
check_eq 'invoice: still needed in _unsorted by a message filed there; a copy for the project' \
	"$(contents "$U/2024-01-05_invoice.txt" "$W/2024-01-05_invoice.txt")" "invoice one
invoice one"
check_eq 'saved_files follows the files; the edited and renamed ones are forgotten' "$(rows)" \
"R/acme/_unsorted/2024-01-05_invoice.txt $m2 2 11 1 acme  -
R/acme/web/2024-01-05_brief.txt $m3 2 9 1 acme web -
R/acme/web/2024-01-05_c (2).txt $m7 2 5 1 acme web -
R/acme/web/2024-01-05_invoice.txt $m6 2 11 1 acme web -
$(printf 'R/acme/web/2024-01-05_mockup.txt %s 2 10 1 acme web -\n' $(printf '%s\n' "$m1" "$m5" | sort -n))
R/acme/web/2024-01-05_plan.txt $m4 2 8 1 acme web -"
after=$(tree "$R")
out=$(mc attachments save --by-project '*' 2>&1 | tail -n 1)
check_eq 'a second save changes nothing' "$out $(test "$(tree "$R")" = "$after" && echo same)" \
	"attachments save: 0 saved, 0 moved, 7 duplicates, 0 failed same"

# Filed back under the client alone: the files go back to _unsorted (the
# user's files there are left alone). mockup's bytes: one file, two rows.
printf '%s\n' "$client_only" > "$TMP/config"
mc reclassify >/dev/null
mc attachments save --by-project "id:m1@test OR id:m5@test OR id:m7@test" > "$TMP/out" 2>&1
check_eq 'refiled back: moved back, a free name taken' "$(cat "$TMP/out")" \
"moved $W/2024-01-05_mockup.txt → $U/2024-01-05_mockup.txt
duplicate $U/2024-01-05_mockup.txt (message $m5 part 2)
moved $W/2024-01-05_c (2).txt → $U/2024-01-05_c.txt
attachments save: 0 saved, 2 moved, 1 duplicate, 0 failed"
check_eq "... the user's C is still there, alone" "$(ls "$W" | grep -i '_c')" "2024-01-05_C.txt"
printf '%s\n' "$with_web" > "$TMP/config"
mc reclassify >/dev/null
mc attachments save --by-project '*' >/dev/null 2>&1

# The new folder has the bytes already, in a file the user put there: one
# copy is enough, so the stale one is removed; the user's file stays, and
# is not taken for one of mailclerk's.
mkmsg m8 bob@acme.example 'deck' deck.txt 'deck one'
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1
m8=$(id m8)
mc attachments save --by-project id:m8@test >/dev/null 2>&1
printf 'deck one' > "$W/my deck.txt"
printf '%s\n' "$with_web" | sed 's/^match = .*/match = subject:\/\\[web\\]|deck\//' > "$TMP/config"
mc reclassify >/dev/null
check_eq 'the bytes are in the new folder already: the stale copy is removed' \
	"$(mc attachments save --by-project id:m8@test 2>&1)" \
	"duplicate $W/my deck.txt (message $m8 part 2)
removed $U/2024-01-05_deck.txt (the same bytes are in $W/my deck.txt)
attachments save: 0 saved, 1 moved, 1 duplicate, 0 failed"
check_eq "... the user's copy is untouched and not recorded" \
	"$(contents "$W/my deck.txt"; test -e "$U/2024-01-05_deck.txt" && echo still; rows | grep -c deck)" \
	"deck one
0"

# Rebuilding the index: nothing already in a folder is written again, and
# without the record nothing is moved or recorded.
before_tree=$(tree "$R")
rm -f "$DB" "$DB-wal" "$DB-shm"
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1
check_eq 'a rebuilt index saves nothing twice' "$(mc attachments save --by-project '*' 2>&1 | tail -n 1)" \
	"attachments save: 0 saved, 0 moved, 8 duplicates, 0 failed"
check_eq '... the folders are as they were' "$(tree "$R")" "$before_tree"
check_eq '... and files it did not write this time are not recorded' "$(rows)" ""
check_eq '--to DIR is recorded too, as a folder of no filing: never moved' \
	"$(mc attachments save --to "$TMP/to" id:m1@test 2>/dev/null; sqlite3 "$DB" "SELECT by_project, client, project FROM saved_files WHERE path = '$TMP/to/2024-01-05_mockup.txt'")" \
	"saved $TMP/to/2024-01-05_mockup.txt
0||"

# save_attachments = yes: the ingest that files mail under the project
# (thread inheritance, or reclassify before it) moves its files there too.
A="$TMP/auto"
mkdir -p "$A/mail/cur" "$A/mail/new" "$A/mail/tmp"
DB="$A/index.db"
printf '%s\nsave_attachments = yes\n' "$with_web" > "$TMP/config"
mkmsg a1 eve@elsewhere.example 'plans' plans.txt 'the plans'
mkmsg a2 bob@acme.example 'mockups' mk.txt 'mk one'
mv "$TMP/mail/cur/a1:2,S" "$TMP/mail/cur/a2:2,S" "$A/mail/cur/"
mc ingest --maildir "$A/mail" >/dev/null 2>&1
a1=$(id a1) a2=$(id a2)
mc attachments save --by-project '*' >/dev/null 2>&1
check_eq 'autosave: first saved into _unfiled and acme/_unsorted' "$(names "$A/attachments")" \
"./_unfiled/2024-01-05_plans.txt
./acme/_unsorted/2024-01-05_mk.txt"
mkmsg a3 bob@acme.example '[web] Re: plans' reply.txt 'the reply' a1
mv "$TMP/mail/cur/a3:2,S" "$A/mail/cur/"
check_eq 'a reply files the thread under the project: the ingest moves the earlier file' \
	"$(mc ingest --maildir "$A/mail" 2>&1 | tail -n 1)" \
	"ingest: saved 1 attachment into project folders (1 moved, 0 duplicates, 0 failed)"
check_eq '... into the project folder' "$(names "$A/attachments")" \
"./acme/_unsorted/2024-01-05_mk.txt
./acme/web/2024-01-05_plans.txt
./acme/web/2024-01-05_reply.txt"
printf '%s\nsave_attachments = yes\n' "$with_web" | sed 's/^match = .*/match = subject:\/\\[web\\]|mockups\//' > "$TMP/config"
mc reclassify >/dev/null
check_eq 'reclassify, then ingest: moved as well' "$(mc ingest --maildir "$A/mail" 2>&1 | tail -n 1)" \
	"ingest: saved 0 attachments into project folders (1 moved, 0 duplicates, 0 failed)"
check_eq '... one copy of each, in acme/web' "$(names "$A/attachments")" \
"./acme/web/2024-01-05_mk.txt
./acme/web/2024-01-05_plans.txt
./acme/web/2024-01-05_reply.txt"
R="$A/attachments"
check_eq '... and recorded there' "$(rows)" \
"R/acme/web/2024-01-05_mk.txt $a2 2 6 1 acme web -
R/acme/web/2024-01-05_plans.txt $a1 2 9 1 acme web -
R/acme/web/2024-01-05_reply.txt $(id a3) 2 9 1 acme web -"

# The root is beside the index: a throwaway --db never writes into the
# folders of the real one ($XDG_DATA_HOME/mailclerk/attachments).
printf '%s\n' "$with_web" | sed 's/^match = .*/match = subject:\/\\[web\\]|mockups\//' > "$TMP/config"
"$MAILCLERK" --config "$TMP/config" --db "$TMP/throw/x.db" ingest --maildir "$A/mail" >/dev/null 2>&1
check_eq 'a throwaway --db saves beside itself' \
	"$("$MAILCLERK" --config "$TMP/config" --db "$TMP/throw/x.db" attachments save id:a2@test 2>/dev/null)" \
	"saved $TMP/throw/attachments/acme/web/2024-01-05_mk.txt"
check '... and nothing under $XDG_DATA_HOME' test ! -e "$XDG_DATA_HOME/mailclerk"
check_eq 'the default index saves under $XDG_DATA_HOME/mailclerk/attachments, as before' \
	"$("$MAILCLERK" --config "$TMP/config" ingest --maildir "$A/mail" >/dev/null 2>&1; "$MAILCLERK" --config "$TMP/config" attachments save id:a2@test 2>/dev/null)" \
	"saved $XDG_DATA_HOME/mailclerk/attachments/acme/web/2024-01-05_mk.txt"

# [mailclerk] attachments_dir sets the root; a project's attachments still
# wins for its project.
printf '[mailclerk]\nattachments_dir = ~/Clients\n%s\n' "$with_web" > "$TMP/config"
check_eq 'attachments_dir: ~ expanded' \
	"$("$MAILCLERK" --config "$TMP/config" --db "$TMP/throw/x.db" attachments save --by-project id:a2@test 2>/dev/null)" \
	"saved $HOME/Clients/acme/web/2024-01-05_mk.txt"
printf '[mailclerk]\nattachments_dir = %s/root\n%s\nattachments = %s/mine\n' "$TMP" "$with_web" "$TMP" > "$TMP/config"
check_eq "a project's attachments key still wins" \
	"$("$MAILCLERK" --config "$TMP/config" --db "$TMP/throw/x.db" attachments save --by-project id:a3@test OR id:a1@test 2>/dev/null)" \
	"saved $TMP/mine/2024-01-05_plans.txt
saved $TMP/mine/2024-01-05_reply.txt"
printf '[client acme]\ndomains = acme.example\n[mailclerk]\nattachments_dir = Clients\n' > "$TMP/bad"
check_eq 'attachments_dir: a relative path is refused, naming file, line and key' \
	"$("$MAILCLERK" --config "$TMP/bad" --db "$TMP/throw/x.db" attachments save '*' 2>&1; echo "rc=$?")" \
	"mailclerk: $TMP/bad:4: [mailclerk]: key 'attachments_dir': 'Clients' is not an absolute path (start it with / or ~/)
rc=2"
printf '[mailclerk]\nattachments_dir = %s\n' "$TMP/config" > "$TMP/bad"
check_eq 'attachments_dir: a file is no folder' \
	"$("$MAILCLERK" --config "$TMP/bad" --db "$TMP/throw/x.db" count '*' 2>&1; echo "rc=$?")" \
	"mailclerk: $TMP/bad:2: [mailclerk]: key 'attachments_dir': $TMP/config is not a folder
rc=2"
printf '[mailclerk]\nattachments_dir =\n' > "$TMP/bad"
check_eq 'attachments_dir: empty' "$("$MAILCLERK" --config "$TMP/bad" --db "$TMP/throw/x.db" count '*' 2>&1)" \
	"mailclerk: $TMP/bad:2: [mailclerk]: key 'attachments_dir': empty value"

# A move killed at each point (test hooks: MAILCLERK_TEST_MOVE) leaves the
# file once, at the old or the new path, recorded; the next run finishes.
K="$TMP/kill"
mkdir -p "$K/mail/cur" "$K/mail/new" "$K/mail/tmp"
DB="$K/index.db" R="$K/attachments" U="$K/attachments/acme/_unsorted" W="$K/attachments/acme/web"
mkmsg k1 bob@acme.example '[web] kill' k.txt 'k one'
mv "$TMP/mail/cur/k1:2,S" "$K/mail/cur/"
printf '%s\n' "$client_only" > "$TMP/config"
mc ingest --maildir "$K/mail" >/dev/null 2>&1
k1=$(id k1)
mc attachments save --by-project '*' >/dev/null 2>&1
# refile NAME: files k1 under acme/web (NAME web) or the client alone.
refile() {
	if [ "$1" = web ]; then printf '%s\n' "$with_web"; else printf '%s\n' "$client_only"; fi > "$TMP/config"
	mc reclassify >/dev/null
}
refile web
MAILCLERK_TEST_MOVE=kill-before-move mc attachments save --by-project '*' >/dev/null 2>&1
if [ $? -ne 137 ]; then
	for i in $(seq 12); do skip "killed move $i" "no test hooks in this build (configure --disable-test-hooks)"; done
	exit 0
fi
check_eq 'killed after recording, before moving: the file where it was, both paths recorded' \
	"$(names "$R"; rows)" \
	"./acme/_unsorted/2024-01-05_k.txt
R/acme/web/2024-01-05_k.txt $k1 2 5 1 acme  R/acme/_unsorted/2024-01-05_k.txt"
mc attachments save --by-project '*' >"$TMP/out" 2>"$TMP/err"
check_eq '... the next run puts the record back, then moves it' "$(cat "$TMP/err" "$TMP/out")" \
	"mailclerk: $U/2024-01-05_k.txt stays: its move was killed before it moved
attachments save: 0 saved, 1 moved, 0 duplicates, 0 failed
moved $U/2024-01-05_k.txt → $W/2024-01-05_k.txt"
check_eq '... once, recorded at its new path' "$(names "$R"; rows)" \
	"./acme/web/2024-01-05_k.txt
R/acme/web/2024-01-05_k.txt $k1 2 5 1 acme web -"

refile client
MAILCLERK_TEST_MOVE=kill-before-done mc attachments save --by-project '*' >/dev/null 2>&1
check_eq 'killed after the rename: the file at its new path, both recorded' "$(names "$R"; rows)" \
	"./acme/_unsorted/2024-01-05_k.txt
R/acme/_unsorted/2024-01-05_k.txt $k1 2 5 1 acme web R/acme/web/2024-01-05_k.txt"
mc attachments save --by-project '*' >"$TMP/out" 2>"$TMP/err"
check_eq '... the next run finishes the record' "$(cat "$TMP/err" "$TMP/out")" \
	"mailclerk: finished moving $W/2024-01-05_k.txt → $U/2024-01-05_k.txt (its run was killed)
attachments save: 0 saved, 0 moved, 1 duplicate, 0 failed
duplicate $U/2024-01-05_k.txt (message $k1 part 2)"
check_eq '... its folder recorded' "$(rows)" "R/acme/_unsorted/2024-01-05_k.txt $k1 2 5 1 acme  -"

# Across file systems ("exdev" makes a rename fail as between two): copied,
# fsynced, renamed into place, then the old file removed.
refile web
MAILCLERK_TEST_MOVE=exdev,kill-before-unlink mc attachments save --by-project '*' >/dev/null 2>&1
check_eq 'across file systems, killed before removing the old file: both there, identical' \
	"$(tree "$R"; rows)" \
	"./acme/_unsorted/2024-01-05_k.txt $(printf 'k one' | sha256sum | cut -c1-16)
./acme/web/2024-01-05_k.txt $(printf 'k one' | sha256sum | cut -c1-16)
R/acme/web/2024-01-05_k.txt $k1 2 5 1 acme  R/acme/_unsorted/2024-01-05_k.txt"
check_eq '... no temporary file left' "$(ls -A "$W")" "2024-01-05_k.txt"
mc attachments save --by-project '*' >"$TMP/out" 2>"$TMP/err"
check_eq '... the next run removes the old copy' "$(cat "$TMP/err"; names "$R"; rows)" \
	"mailclerk: finished moving $U/2024-01-05_k.txt → $W/2024-01-05_k.txt (its run was killed)
attachments save: 0 saved, 0 moved, 1 duplicate, 0 failed
./acme/web/2024-01-05_k.txt
R/acme/web/2024-01-05_k.txt $k1 2 5 1 acme web -"
refile client
check_eq 'across file systems, not killed: moved' \
	"$(MAILCLERK_TEST_MOVE=exdev mc attachments save --by-project '*' 2>/dev/null; names "$R"; ls -A "$U"; rows)" \
	"moved $W/2024-01-05_k.txt → $U/2024-01-05_k.txt
./acme/_unsorted/2024-01-05_k.txt
2024-01-05_k.txt
R/acme/_unsorted/2024-01-05_k.txt $k1 2 5 1 acme  -"
check_eq '... the bytes intact' "$(contents "$U/2024-01-05_k.txt")" "k one"
refile web
MAILCLERK_TEST_MOVE=exdev,kill-before-move mc attachments save --by-project '*' >/dev/null 2>&1
check_eq 'across file systems, killed before copying: the next run undoes the record, then moves' \
	"$(mc attachments save --by-project '*' 2>&1; names "$R")" \
	"mailclerk: $U/2024-01-05_k.txt stays: its move was killed before it moved
moved $U/2024-01-05_k.txt → $W/2024-01-05_k.txt
attachments save: 0 saved, 1 moved, 0 duplicates, 0 failed
./acme/web/2024-01-05_k.txt"
