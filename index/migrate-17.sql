-- Migration to schema version 17: the messages skipped as naming a charset
-- longer than 256 bytes are forgotten, so that the next ingest reads them
-- again. Until this version the padding of a base64 encoded word
-- ("=?UTF-8?B?SsO8cmdlbg==?=") followed by over 256 bytes of its field (a
-- To of a name in UTF-8 and several people, a long subject) was taken for
-- such a name (ingest/rawmail.c), and ordinary mail was refused and
-- remembered. What is hostile is refused again, and remembered again.
DELETE FROM skipped
WHERE reason = 'an encoded word or parameter names a charset longer than 256 bytes';
