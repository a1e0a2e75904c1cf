-- Migration to schema version 14: the numbers of `clients` and `projects`
-- kept up to date rather than counted per call (issue 14). They are sums
-- over threads: thread_stats holds what each thread adds to each key it has
-- mail under, filing_stats their sums per key. Triggers only note which
-- threads changed (stats_dirty); the writer counts those threads again and
-- moves the difference into filing_stats before it commits
-- (index/aggregates.c), so both are exact in every committed state. db.c
-- then fills them from the rows already there (aggregates.sql).

-- A key is a client and a project: filings.project ('' for the client's
-- own filing, which all its mail has), or '/' for a client's mail in none
-- of its projects (what `projects` shows as the client's other mail).
-- Keys hold no '/' (config_key_is_valid).
CREATE TABLE filing_stats (
	client TEXT NOT NULL,
	project TEXT NOT NULL,              -- filings.project, or '/'
	inbound INTEGER NOT NULL DEFAULT 0, -- messages with direction 0
	outbound INTEGER NOT NULL DEFAULT 0, -- ... and 1
	threads INTEGER NOT NULL DEFAULT 0, -- threads with mail under the key
	first INTEGER,                      -- min(date); NULL only inside a flush
	last INTEGER,                       -- max(date)
	attachments INTEGER NOT NULL DEFAULT 0, -- their attachments that are not inline
	PRIMARY KEY (client, project)
) WITHOUT ROWID;

-- What one thread's messages under a key add to filing_stats.
CREATE TABLE thread_stats (
	thread_id INTEGER NOT NULL,
	client TEXT NOT NULL,
	project TEXT NOT NULL,
	inbound INTEGER NOT NULL,
	outbound INTEGER NOT NULL,
	first INTEGER NOT NULL,
	last INTEGER NOT NULL,
	attachments INTEGER NOT NULL,
	PRIMARY KEY (thread_id, client, project)
) WITHOUT ROWID;

-- The threads whose rows in thread_stats are to be counted again: empty
-- in every committed state.
CREATE TABLE stats_dirty (
	thread_id INTEGER PRIMARY KEY
);

-- A thread changes when a message joins it, leaves it, is parsed again
-- with other numbers, or gains a filing. The writer notes the common cases
-- itself (a new message, a message parsed again, filings inherited from the
-- thread): a trigger on a table makes SQLite keep a statement journal for
-- every row written to it, which cost ingest a third more CPU. Triggers
-- note the rare ones: a message leaving (its filings and attachments go
-- with it) and threads merging.
CREATE TRIGGER messages_stats_delete AFTER DELETE ON messages
BEGIN
	INSERT OR IGNORE INTO stats_dirty (thread_id) VALUES (old.thread_id);
END;
CREATE TRIGGER messages_stats_thread AFTER UPDATE OF thread_id ON messages
WHEN old.thread_id != new.thread_id BEGIN
	INSERT OR IGNORE INTO stats_dirty (thread_id) VALUES (old.thread_id), (new.thread_id);
END;

-- The numbers of `contacts`: per client and address, the messages filed
-- under the client (its own filing, project '') that have the address in
-- any role, their first and last dates, and the latest name the address
-- came with (the latest message's, then the higher message id, then the
-- later address row: what reading the rows in message order would keep).
CREATE TABLE contact_stats (
	client TEXT NOT NULL,
	address TEXT NOT NULL,
	messages INTEGER NOT NULL,
	first INTEGER NOT NULL,
	last INTEGER NOT NULL,
	name TEXT NOT NULL,                 -- '' when it never came with one
	name_date INTEGER,                  -- of NAME: its message's date,
	name_message INTEGER,               -- ... id
	name_row INTEGER,                   -- ... and addresses.rowid
	PRIMARY KEY (client, address)
) WITHOUT ROWID;

-- A message newly filed under a client: its addresses add to contact_stats
-- before the commit.
CREATE TABLE contacts_pending (
	message INTEGER NOT NULL,
	client TEXT NOT NULL,
	PRIMARY KEY (message, client)
) WITHOUT ROWID;

-- Keys of contact_stats to count again before the commit: those of a
-- message that leaves or whose addresses or date change.
CREATE TABLE contacts_dirty (
	client TEXT NOT NULL,
	address TEXT NOT NULL,
	PRIMARY KEY (client, address)
) WITHOUT ROWID;

CREATE TRIGGER messages_contacts_delete BEFORE DELETE ON messages BEGIN
	INSERT OR IGNORE INTO contacts_dirty (client, address)
	SELECT f.client, a.address FROM filings f JOIN addresses a ON a.message = f.message
	WHERE f.message = old.id AND f.project = '';
END;
