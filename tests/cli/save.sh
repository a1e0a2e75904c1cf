#!/bin/sh
# mailclerk attachments save, and save_attachments = yes during ingest.
. "$top_srcdir/tests/lib.sh"
plan 37

python3 "$top_srcdir/tests/cli/gen-save-mail.py" "$TMP" || { echo "Bail out! gen-save-mail.py failed"; exit 1; }
printf '[mailclerk]\nattachment_name = {filename}\n' > "$TMP/config"
mc ingest --mbox "$TMP/encodings.mbox" --mbox "$TMP/dedupe.mbox" --mbox "$TMP/hostile.mbox" >/dev/null
d2=$(ids id:d2@example.org)

# A tree's content, for "nothing changed": every path, type and hash.
tree() { (cd "$1" && find . -print | LC_ALL=C sort | while IFS= read -r f; do
	if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
	elif [ -f "$f" ]; then echo "$f $(sha256sum < "$f" | cut -c1-16)"
	else echo "$f/"; fi
done); }

# Encodings: the saved bytes are the payloads the generator encoded.
out=$(mc attachments save --to "$TMP/enc" id:enc@example.org 2>&1)
check_eq 'three parts saved, with a summary' "$out" "saved $TMP/enc/b64.bin
saved $TMP/enc/qp.bin
saved $TMP/enc/uu.bin
attachments save: 3 saved, 0 moved, 0 duplicates, 0 failed"
check 'base64: the bytes base64 -d makes' cmp -s "$TMP/enc/b64.bin" "$(base64 -d "$TMP/b64.txt" > "$TMP/b64.dec"; echo "$TMP/b64.dec")"
check 'base64: the payload' cmp -s "$TMP/enc/b64.bin" "$TMP/payload-base64.bin"
check 'quoted-printable: the payload' cmp -s "$TMP/enc/qp.bin" "$TMP/payload-qp.bin"
check 'uuencode: the payload' cmp -s "$TMP/enc/uu.bin" "$TMP/payload-uuencode.bin"

# Dedupe and the name collision rule.
out=$(mc attachments save --to "$TMP/dd" subject:contract 2>&1)
check_eq 'the same bytes once; other bytes under the same name get (2)' "$out" "saved $TMP/dd/contract.pdf
duplicate $TMP/dd/contract.pdf (message $d2 part 2)
saved $TMP/dd/contract (2).pdf
attachments save: 2 saved, 0 moved, 1 duplicate, 0 failed"
check 'contract.pdf holds the first bytes' cmp -s "$TMP/dd/contract.pdf" "$TMP/same.pdf"
check 'contract (2).pdf holds the second' cmp -s "$TMP/dd/contract (2).pdf" "$TMP/other.pdf"
before=$(tree "$TMP/dd")
out=$(mc attachments save --to "$TMP/dd" subject:contract 2>&1)
check_eq 'a re-run writes nothing' "$(printf '%s\n' "$out" | tail -n 1)" "attachments save: 0 saved, 0 moved, 3 duplicates, 0 failed"
check_eq 'a re-run leaves the folder as it was' "$(tree "$TMP/dd")" "$before"
rm "$TMP/dd/contract.pdf"
echo 'my own notes' > "$TMP/dd/contract.pdf"
out=$(mc attachments save --to "$TMP/dd" subject:contract 2>&1 | tail -n 1)
check_eq 'a file of the user under the same name is kept; ours gets (3)' \
	"$out $(cat "$TMP/dd/contract.pdf") $(ls "$TMP/dd" | wc -l)" \
	"attachments save: 1 saved, 0 moved, 2 duplicates, 0 failed my own notes 3"
check 'and (3) holds the bytes' cmp -s "$TMP/dd/contract (3).pdf" "$TMP/same.pdf"

# A folder with a name that is not UTF-8 (a Latin-1 file of the user's) and
# temporary files: a killed run's (old) are removed, a live one's kept.
mkdir "$TMP/l1"
printf 'mine' > "$TMP/l1/$(printf 'caf\351.txt')"
: > "$TMP/l1/.mailclerk-tmp.old"
touch -d '2 hours ago' "$TMP/l1/.mailclerk-tmp.old"
: > "$TMP/l1/.mailclerk-tmp.live"
mc attachments save --to "$TMP/l1" id:enc@example.org >/dev/null 2>&1
check_eq 'a Latin-1 name in the folder is fine; old temporary files go, live ones stay' \
	"$(ls -A "$TMP/l1" | LC_ALL=C sort | od -c | head -n 3 | sed 's/  */ /g')" \
	"$(printf '.mailclerk-tmp.live\nb64.bin\ncaf\351.txt\nqp.bin\nuu.bin\n' | od -c | head -n 3 | sed 's/  */ /g')"

# --dry-run decides the same and writes nothing.
out=$(mc attachments save --dry-run --to "$TMP/dry" subject:contract 2>&1)
check_eq 'a dry run says what it would do' "$out" "would save $TMP/dry/contract.pdf
duplicate $TMP/dry/contract.pdf (message $d2 part 2)
would save $TMP/dry/contract (2).pdf
attachments save: 2 to save, 0 to move, 1 duplicate, 0 failed"
check 'and writes nothing, not even the folder' test ! -e "$TMP/dry"

# Hostile names: each saved as hostile.tsv says, all inside the folder.
mkdir "$TMP/hostile" "$TMP/outside"
echo secret > "$TMP/outside/target"
ln -s "$TMP/outside/target" "$TMP/hostile/evil.txt"
outside_before=$(tree "$TMP/outside")
out=$(mc attachments save --to "$TMP/hostile" id:hostile@example.org 2>&1 | tail -n 1)
check_eq 'every hostile name saved' "$out" "attachments save: 35 saved, 0 moved, 0 duplicates, 0 failed"
want=$( (cut -f2 "$TMP/hostile.tsv"; echo evil.txt) | LC_ALL=C sort)
check_eq 'exactly the expected names (and the planted symlink)' "$(ls -A "$TMP/hostile" | LC_ALL=C sort)" "$want"
check_eq 'at least 30 hostile cases' "$(test "$(wc -l < "$TMP/hostile.tsv")" -ge 30 && echo yes)" yes
real=$(cd "$TMP/hostile" && pwd -P)
escaped=$(find "$TMP/hostile" -mindepth 1 ! -type l -exec realpath {} + | grep -v "^$real/[^/]*\$" | wc -l)
check_eq 'every file written is directly inside the folder (realpath)' "$escaped" 0
check_eq 'nothing written through the planted symlink, nothing outside' "$(tree "$TMP/outside")" "$outside_before"
check_eq 'the symlink is still a symlink to the same place' "$(readlink "$TMP/hostile/evil.txt")" "$TMP/outside/target"
check_eq 'no name longer than 255 bytes' "$(ls -A "$TMP/hostile" | awk 'length($0) > 255' | LC_ALL=C wc -l)" 0

# --by-project, and save_attachments = yes at ingest.
cat > "$TMP/config" <<CONF
[client acme]
domains = acme.example
[project acme/web]
match = subject:/\[web\]/
save_attachments = yes
[client other]
domains = other.example
CONF
DB="$TMP/index2.db"
mkdir -p "$TMP/mail/cur" "$TMP/mail/new" "$TMP/mail/tmp"
mkmsg() { # mkmsg FILE FROM SUBJECT ATTACHMENT-NAME CONTENT [PARENT]
	cat > "$TMP/mail/cur/$1:2,S" <<MSG
From: $2
To: sam@studio.example
Subject: $3
Date: Fri, 05 Jan 2024 09:00:00 +0000
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
mkmsg m1 bob@acme.example '[web] mockups' mockup.txt 'mockup one'
mkmsg m2 bob@acme.example 'invoice' invoice.txt 'invoice one'
mkmsg m3 eve@elsewhere.example 'hello' hello.txt 'hello one'
out=$(mc ingest --maildir "$TMP/mail" 2>&1 | tail -n 1)
root="$TMP/attachments" # beside the index
check_eq 'ingest saves the project mail it indexed' "$out" "ingest: saved 1 attachment into project folders (0 moved, 0 duplicates, 0 failed)"
check_eq 'into the project folder, named {date}_{filename}' "$(cd "$root" && find . -type f | LC_ALL=C sort)" "./acme/web/2024-01-05_mockup.txt"
mkmsg m4 bob@acme.example '[web] copy' mockup.txt 'mockup one'
mkmsg m5 bob@acme.example '[web] v2' mockup.txt 'mockup two'
out=$(mc ingest --maildir "$TMP/mail" 2>&1 | tail -n 1)
check_eq 'the next run saves only new mail, once per content' "$out" "ingest: saved 1 attachment into project folders (0 moved, 1 duplicate, 0 failed)"
out=$(mc ingest --maildir "$TMP/mail" 2>&1 | tail -n 1)
check_eq 'a run with nothing new saves nothing' "$out" "ingest: 0 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped, in $(printf '%s' "$out" | sed 's/.*in \([0-9.]*\) s.*/\1/') s (0 messages/s)"
out=$(mc attachments save --by-project '*' 2>&1 | tail -n 1)
check_eq 'save --by-project: the project, _unsorted and _unfiled' "$(cd "$root" && find . -type f | LC_ALL=C sort) $out" "./_unfiled/2024-01-05_hello.txt
./acme/_unsorted/2024-01-05_invoice.txt
./acme/web/2024-01-05_mockup (2).txt
./acme/web/2024-01-05_mockup.txt attachments save: 2 saved, 0 moved, 3 duplicates, 0 failed"
check_eq 'a bad attachment_name is refused, naming the key' \
	"$(printf '[mailclerk]\nattachment_name = {date}_{nope}\n' > "$TMP/bad"; "$MAILCLERK" --config "$TMP/bad" --db "$DB" attachments save '*' 2>&1)" \
	"mailclerk: $TMP/bad:2: [mailclerk]: key 'attachment_name': unknown field '{nope}' in '{date}_{nope}' (known: {date}, {client}, {project}, {from}, {subject}, {filename})"
# Mail that joins the project later, by thread inheritance, is saved too.
mkmsg m6 eve@elsewhere.example 'plans' plans.txt 'the plans'
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1
check_eq 'unfiled new mail is not saved into the project' "$(ls "$root/acme/web")" "2024-01-05_mockup (2).txt
2024-01-05_mockup.txt"
mkmsg m7 bob@acme.example '[web] Re: plans' reply.txt 'the reply' m6
out=$(mc ingest --maildir "$TMP/mail" 2>&1 | tail -n 1)
check_eq 'a reply files the thread under the project: both are saved' \
	"$out $(ls "$root/acme/web" | tr '\n' '|')" \
	"ingest: saved 2 attachments into project folders (0 moved, 0 duplicates, 0 failed) 2024-01-05_mockup (2).txt|2024-01-05_mockup.txt|2024-01-05_plans.txt|2024-01-05_reply.txt|"

# ^C or SIGTERM while ingest saves: it stops between messages, says so,
# and the next run saves the rest (MAILCLERK_TEST_PAUSE_SAVE holds it
# after the first message saved; not in a build without test hooks).
mkmsg s1 bob@acme.example '[web] one' s1.txt 'first of three'
mkmsg s2 bob@acme.example '[web] two' s2.txt 'second of three'
mkmsg s3 bob@acme.example '[web] three' s3.txt 'third of three'
rm -f "$TMP/save-paused"
MAILCLERK_TEST_PAUSE_SAVE="$TMP/save-paused" "$MAILCLERK" --config "$TMP/config" --db "$DB" \
	ingest --maildir "$TMP/mail" >"$TMP/save-stop.out" 2>"$TMP/save-stop.err" &
pid=$!
i=0
while [ ! -e "$TMP/save-paused" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 6000 ]; do i=$((i + 1)); sleep 0.01; done
if [ -e "$TMP/save-paused" ]; then
	kill -TERM "$pid"
	wait "$pid"
	check_eq 'SIGTERM while ingest saves: exit 130, said' "$? $(cat "$TMP/save-stop.err")" \
		"130 mailclerk: interrupted: 3 messages indexed; run ingest again to finish"
	check_eq '... one message saved' "$(ls "$root/acme/web" | grep -c '_s[123].txt')" 1
	check_eq 'the next run saves the other two' "$(mc ingest --maildir "$TMP/mail" 2>&1 | tail -n 1; ls "$root/acme/web" | grep -c '_s[123].txt')" \
		"ingest: saved 2 attachments into project folders (0 moved, 0 duplicates, 0 failed)
3"
else
	wait "$pid"
	for i in 1 2 3; do skip "save stop $i" "no test hooks in this build (configure --disable-test-hooks)"; done
fi

rm "$TMP/mail/cur/m3:2,S"
m3=$(ids id:m3@test)
check_eq 'a message whose file is gone: said, counted, exit 1' \
	"$(mc attachments save --to "$TMP/gone" id:m3@test > "$TMP/out" 2>&1; rc=$?
	   sed 's/ (.*m3:2,S.*: No such file or directory)$/ (gone)/' "$TMP/out"; echo "rc=$rc")" \
	"mailclerk: message $m3 part 2: message $m3: no copy can be read (gone)
attachments save: 0 saved, 0 moved, 0 duplicates, 1 failed
rc=1"
echo 'not a folder' > "$TMP/file"
check_eq 'a destination that cannot be a folder: said, exit 1' \
	"$(mc attachments save --to "$TMP/file/sub" id:m1@test 2>&1 | head -n 1; mc attachments save --to "$TMP/file/sub" id:m1@test >/dev/null 2>&1; echo "rc=$?")" \
	"mailclerk: message $(ids id:m1@test) part 2: cannot create folder $TMP/file/sub: Not a directory
rc=1"
check_exit '--to and --by-project together are a usage error' 2 mc attachments save --to "$TMP/x" --by-project '*'
check_exit 'no query is a usage error' 2 mc attachments save --to "$TMP/x"
