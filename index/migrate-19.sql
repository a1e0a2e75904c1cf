-- Migration to schema version 19: the newest date in each chunk of
-- DATES_CHUNK (4096) message ids, as message_dates chunks them
-- (index/dates.h). A page of full-text hits newest first is read from the
-- highest id down and stops once no lower chunk holds mail newer than the
-- page's last (query/search.c): where mail was added roughly in date order,
-- as an archive grows, the page is in the last chunks, and a phrase of
-- common words need not be read through ten years of mail. The writer
-- keeps it in step with message_dates in the same transactions; a message
-- that leaves the index leaves its chunk's date as it was (later than
-- what is left: a page then reads on a little further). IF NOT EXISTS
-- and OR REPLACE: the tests take an index back to an earlier version and
-- open it again.
CREATE TABLE IF NOT EXISTS message_date_newest (
	chunk INTEGER PRIMARY KEY,          -- message id / 4096
	newest INTEGER NOT NULL             -- no message of the chunk is dated later (UTC seconds)
);
INSERT OR REPLACE INTO message_date_newest (chunk, newest)
	SELECT id / 4096, max(date) FROM messages GROUP BY id / 4096;
