-- Migration to schema version 17: the files and mbox messages skipped as
-- naming a charset longer than 256 bytes are forgotten, and their folders
-- and mbox files read whole again by the next ingest. That guard
-- (ingest/rawmail.c) took the padding of a base64 encoded word
-- ("=?UTF-8?B?SsO8cmdlbg==?=") followed by over 256 bytes of its field (a
-- To of a name in UTF-8 and several people, a long subject) for such a
-- name, and refused and remembered ordinary mail; it is replaced by a limit
-- on a header field's length (4 MiB) and deep parse stacks. What is
-- hostile is refused again, and remembered again. A folder or file
-- unchanged since it was read is not read again otherwise: its scan state
-- (mtime_ns -1, "never scanned whole") makes it so.
UPDATE containers SET mtime_ns = -1
WHERE path IN (SELECT container FROM skipped
	WHERE reason = 'an encoded word or parameter names a charset longer than 256 bytes');
DELETE FROM skipped
WHERE reason = 'an encoded word or parameter names a charset longer than 256 bytes';
-- Names, subjects and attachment names written as several base64 encoded
-- words, the first ending in padding, were cut short (GMime 3.2.13 decoded
-- the later words to nothing; rawmail.c now works round it): they come
-- whole from parsing again, `reindex`.
INSERT OR REPLACE INTO reindex_needed (one, why)
	SELECT 1, coalesce((SELECT why || ', ' FROM reindex_needed), '') || 'names and subjects in several encoded words'
	WHERE EXISTS (SELECT 1 FROM messages);
