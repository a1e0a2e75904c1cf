-- Migration to schema version 12: flags changed after the fact. IMAP: each
-- folder's HIGHESTMODSEQ (RFC 7162 CONDSTORE), so that the next run asks
-- only for the flags changed since (imap/flags.c). mbox: every mbox file is
-- read again at the next ingest (without parsing what is unchanged), so
-- that copies learn their Status/X-Status flags.
ALTER TABLE imap_folders ADD COLUMN modseq INTEGER NOT NULL DEFAULT 0; -- HIGHESTMODSEQ whose flag changes are in the store; 0: none known (no CONDSTORE, or never)
UPDATE containers SET mtime_ns = -1 WHERE kind = 'mbox';
