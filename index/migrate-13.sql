-- Migration to schema version 13: search text (issue 12): the full-text index rebuilt with the folding tokenizer, and an alt column for words only in HTML alternatives.
-- Words of an HTML alternative that its plain text (the body shown) lacks,
-- a space apart (parsed_message.alt_words): searched, never shown.
DROP TRIGGER messages_delete_fts;
DROP TABLE fts;
DROP VIEW fts_source;
ALTER TABLE message_text ADD COLUMN alt TEXT NOT NULL DEFAULT '';
CREATE VIEW fts_source AS
	SELECT t.id AS id, m.subject AS subject, t.sender AS sender,
	       t.recipients AS recipients, mc_unzstd(t.body) AS body,
	       t.attachments AS attachments, t.alt AS alt
	FROM message_text t JOIN messages m ON m.id = t.id;
-- Full text, rowid = messages.id, as in schema.sql, with alt last: bare words
-- and body: search it, snippets never show it (query/search.c).
CREATE VIRTUAL TABLE fts USING fts5(
	subject, sender, recipients, body, attachments, alt,
	tokenize = 'mailclerk', content = 'fts_source', content_rowid = 'id'
);
-- Every message tokenized again: the tokenizer now folds case and
-- diacritics in every script and normalises to NFKC.
INSERT INTO fts (fts) VALUES ('rebuild');
CREATE TRIGGER messages_delete_fts BEFORE DELETE ON messages BEGIN
	INSERT INTO fts (fts, rowid, subject, sender, recipients, body, attachments, alt)
		SELECT 'delete', id, subject, sender, recipients, body, attachments, alt
		FROM fts_source WHERE id = old.id;
	DELETE FROM message_text WHERE id = old.id;
END;
-- The words only in HTML parts, and attachments by the rule of this version
-- (named inline parts, the files in winmail.dat), come from parsing again:
-- `reindex`.
INSERT OR REPLACE INTO reindex_needed (one, why)
	SELECT 1, coalesce((SELECT why || ', ' FROM reindex_needed), '') || 'words only in HTML parts, inline and TNEF attachments'
	WHERE EXISTS (SELECT 1 FROM messages);
