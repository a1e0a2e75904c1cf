#!/bin/sh
# folding: case and diacritics fold in every script, NFKC on both sides
# (tests/corpus/shapes/text-*.eml), and words only in an HTML alternative are
# found but never shown; an index of schema version 12 gets both.
. "$top_srcdir/tests/lib.sh"
plan 47
S="$CORPUS/shapes"
mc ingest --file "$S"/text-*.eml >/dev/null 2>&1
check_eq 'the text shapes are indexed' "$(mc count '*')" 9

# found QUERY: the messages found, by the name of their file (text-NAME.eml).
found() { mids "$@" | sed 's/^text-//; s/@text.example$//' | tr '\n' ' ' | sed 's/ $//'; }

check_eq 'Greek: lower case without tonos' "$(found ελληνικα)" greek
check_eq '... capitals' "$(found ΕΛΛΗΝΙΚΑ)" greek
check_eq '... as written' "$(found Ελληνικά)" greek
check_eq '... dialytika and tonos' "$(found προιον)" greek
check_eq '... in capitals' "$(found ΠΡΟΪΟΝ)" greek
check_eq '... in the subject' "$(found subject:εγγραφα)" greek
check_eq '... a prefix' "$(found 'ελλην*')" greek
check_eq 'ß is ss: grosse finds Größe and GROSSE' "$(found grosse)" 'german-caps german'
check_eq '... and GROSSE' "$(found GROSSE)" 'german-caps german'
check_eq '... and größe' "$(found größe)" 'german-caps german'
check_eq '... a prefix with ß' "$(found 'größ*')" 'german-caps german'
check_eq '... strasse' "$(found strasse)" german
check_eq 'full-width ＡＣＭＥ finds ACME and ＡＣＭＥ' "$(found ＡＣＭＥ)" 'fullwidth ligature'
check_eq '... and acme finds both' "$(found acme)" 'fullwidth ligature'
check_eq '... a full-width word' "$(found zarquill)" fullwidth
check_eq '... in the subject' "$(found subject:acme)" fullwidth
check_eq 'ligature: ﬁle finds file' "$(found ﬁle)" ligature
check_eq '... and file finds ﬁle' "$(found file)" ligature
check_eq '... flumbrix finds ﬂumbrix' "$(found flumbrix)" ligature
check_eq '... a phrase' "$(found '"final file"')" ligature
check_eq 'Cyrillic: case' "$(found квартолин)" cyrillic
check_eq '... ё is е' "$(found елки)" cyrillic
check_eq '... in the subject' "$(found subject:привет)" cyrillic
check_eq 'Japanese: ガラス (glass)' "$(found ガラス)" japanese-ga
check_eq '... カラス (crow) is another word' "$(found カラス)" japanese-ka
check_eq '... がっこう' "$(found がっこう)" japanese-ga
check_eq '... かっこう is another word' "$(found かっこう)" japanese-ka
check_eq '... half-width ｶﾞﾗｽ is ガラス' "$(found ｶﾞﾗｽ)" japanese-ga
check_eq '... CJK as before: 請求書' "$(found 請求書)" fullwidth
check_eq 'an address typed full-width (NFKC, any case)' "$(mc count 'from:ＳＨＡＰＥＳ@text.example')" 9

# Words only in the HTML alternative: found, never shown.
check_eq 'HTML-only word: found' "$(found vortaphlex)" html-only
check_eq '... by body:' "$(found body:vortaphlex)" html-only
check_eq '... not by subject:' "$(found subject:vortaphlex)" ''
check_eq '... a word of both' "$(found mossgrindle)" html-only
check_eq 'search text: the plain text, not the HTML word' "$(mc search vortaphlex | sed 1d)" \
	'       Our autumn offer is here. Plain word: mossgrindle.'
check_eq '... JSON snippet' "$(mc search --format=json vortaphlex | jq -r '.[0].snippet')" \
	'Our autumn offer is here. Plain word: mossgrindle.'
id=$(mc search --format=json vortaphlex | jq .[0].id)
check_eq 'show prints the plain text only' "$(mc show "$id" | grep -c -e vortaphlex -e HTML)" 0
check_eq '... show --format=json too' "$(mc show --format=json "$id" | jq -r .body)" \
	'Our autumn offer is here. Plain word: mossgrindle.'

# An index made before schema version 13: no alt column, and a full-text
# index of the old tokenizer, here one that holds no token at all. Opening it
# rebuilds the full-text index; the HTML words wait for a reindex, which
# check and ingest say. (sqlite3 knows no mc_unzstd and no mailclerk
# tokenizer: the view and trigger are written as version 12 had them, and
# the fts table is emptied under the name of unicode61, which FTS5's
# 'delete-all' needs to open it, then given back its own.)
sqlite3 "$DB" "$(before_14)
	DROP TRIGGER messages_delete_fts; DROP VIEW fts_source;
	ALTER TABLE message_text DROP COLUMN alt;
	$(fts_before_13)
	PRAGMA writable_schema = ON;
	UPDATE sqlite_master SET sql = 'CREATE VIRTUAL TABLE fts USING fts5(subject, sender,
		recipients, body, attachments, tokenize = ''unicode61'', content = ''fts_source'',
		content_rowid = ''id'')' WHERE name = 'fts';
	PRAGMA user_version = 12;"
sqlite3 "$DB" "INSERT INTO fts (fts) VALUES ('delete-all')"
sqlite3 "$DB" "PRAGMA writable_schema = ON;
	UPDATE sqlite_master SET sql = replace(sql, 'unicode61', 'mailclerk') WHERE name = 'fts'"
check_eq 'an index of version 12: folded words found after the rebuild' "$(found grosse)" \
	'german-caps german'
check_eq '... Greek too' "$(found ελληνικα)" greek
check_eq '... the HTML-only word not yet' "$(found vortaphlex)" ''
check_eq '... the full-text index is sound' "$(mc check)" "ok
reindex needed: this index was made by an older mailclerk and lacks words only in HTML parts, inline and TNEF attachments, names and subjects in several encoded words; run 'mailclerk reindex'"
mc reindex >"$TMP/out" 2>&1
check_eq 'reindex rewrites the one message with HTML-only words' "$(sed 's/, in .*//' "$TMP/out")" \
	'reindex: 9 messages read again, 1 changed, 0 unreadable'
check_eq '... which is found then' "$(found vortaphlex)" html-only
check_eq '... and still not shown' "$(mc search vortaphlex | sed 1d)" \
	'       Our autumn offer is here. Plain word: mossgrindle.'
check_eq '... the need is gone' "$(mc check)" ok
