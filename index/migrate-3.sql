-- Migration to schema version 3: which clients' exclude rules kept a message
-- out. Thread inheritance (rule "thread") reads it, so a noreply message in
-- a client's thread stays out of that client, as its exclude rule says.
CREATE TABLE exclusions (
	message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	client TEXT NOT NULL,              -- [client KEY] whose exclude matched
	rule TEXT NOT NULL,                -- the exclude rule, e.g. "from /^noreply@/"
	matched TEXT NOT NULL,             -- the text that matched
	PRIMARY KEY (message, client)
) WITHOUT ROWID;
