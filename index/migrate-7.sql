-- Migration to schema version 7: folder: matches folder names in any ASCII
-- case (query/fields.c), as IMAP's INBOX is case-insensitive; the index on
-- containers.folder compares the same way, so that it still serves folder:.
DROP INDEX containers_folder;
CREATE INDEX containers_folder ON containers(folder COLLATE NOCASE);
