-- Migration to schema version 20: the address and domain indexes keyed
-- first by the message's epoch, its id / 65536 (message >> 16), so that a
-- new address row goes into the newest epoch's part of each index, a few
-- MB that stay in the writer's page cache, where addresses_address and
-- addresses_domain took it to a random page of the whole index: with
-- thousands of correspondents each message's addresses touched pages all
-- over 140 MB at a million messages, read and written again and again (a
-- step of 100,000 into 900,000: the writer's CPU 14.4 -> 12.7 s). A
-- search seeks each epoch in turn: `(a.message >> 16) IN (SELECT n FROM
-- address_epochs)` before the address or domain (DB_ADDRESS_EPOCHS in
-- index/db.h), 16 seeks at a million where there was one. An expression,
-- not a generated column: SQLite reads the table row for a generated
-- column's index, and these are covering indexes. IF EXISTS and IF NOT
-- EXISTS: the tests take an index back to an earlier version and open it
-- again.
DROP INDEX IF EXISTS addresses_address;
DROP INDEX IF EXISTS addresses_domain;
CREATE INDEX IF NOT EXISTS addresses_epoch_address
	ON addresses((message >> 16), address, role, message);
CREATE INDEX IF NOT EXISTS addresses_epoch_domain
	ON addresses((message >> 16), domain, role, message);
-- Every epoch from 0 to the newest message's: the ids are never reused, and
-- an address row's message is in `messages` (ON DELETE CASCADE).
CREATE VIEW IF NOT EXISTS address_epochs AS
	WITH RECURSIVE epoch(n) AS (
		VALUES (0)
		UNION ALL
		SELECT n + 1 FROM epoch WHERE n < (SELECT coalesce(max(id), 0) FROM messages) >> 16
	)
	SELECT n FROM epoch;
