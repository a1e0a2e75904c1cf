-- Migration to schema version 14: the numbers of `clients` and `projects`
-- kept up to date rather than counted per call (issue 14). Triggers keep
-- them in the transaction of the rows they sum up, whichever code changes
-- those rows (ingest, reindex, reclassify, a message leaving); db.c then
-- fills them from the rows already there (aggregates.sql).

-- A message "filed" under a key: its filings, plus the key '/' for a
-- client's mail in none of its projects (what `projects` shows as the
-- client's other mail). Keys hold no '/' (config_key_is_valid).
CREATE VIEW filed (message, client, project) AS
	SELECT message, client, project FROM filings
	UNION ALL
	SELECT f.message, f.client, '/' FROM filings f WHERE f.project = ''
		AND NOT EXISTS (SELECT 1 FROM filings g WHERE g.message = f.message
			AND g.client = f.client AND g.project != '');

-- Per key of `filed`: the sums of its messages. first and last are NULL
-- while unknown (a removal took away the oldest or newest message); the
-- writer counts them again before it commits (aggregates_refresh) and a
-- reader that finds them NULL counts them itself.
CREATE TABLE filing_stats (
	client TEXT NOT NULL,
	project TEXT NOT NULL,             -- filings.project ('' the client's own), or '/'
	inbound INTEGER NOT NULL DEFAULT 0, -- messages with direction 0
	outbound INTEGER NOT NULL DEFAULT 0, -- ... and 1
	threads INTEGER NOT NULL DEFAULT 0, -- distinct thread_id among them
	first INTEGER,                     -- min(date), NULL: to count again
	last INTEGER,                      -- max(date), NULL: to count again
	attachments INTEGER NOT NULL DEFAULT 0, -- their attachments that are not inline
	PRIMARY KEY (client, project)
) WITHOUT ROWID;

-- A row here (only ever inside a transaction: reclassify) turns the
-- triggers below off; the transaction then fills filing_stats whole.
CREATE TABLE aggregates_paused (
	one INTEGER PRIMARY KEY CHECK (one = 1)
);

-- A filing added or taken away adds its message to the sums of its key, or
-- takes it away (sign 1 or -1), and so for the key '/' when the message
-- joins or leaves the client's other mail, its membership of `filed`
-- already changed: a thread counts when no other message of it is filed
-- under the key. (Those lookups spell `filed` out: SQLite would read the
-- view whole for a client, a cost that grows with the index. One statement
-- per trigger: a view with an INSTEAD OF trigger in between cost the
-- writer a temporary table per filing.)
CREATE TRIGGER filings_stats_insert AFTER INSERT ON filings
WHEN NOT EXISTS (SELECT 1 FROM aggregates_paused) BEGIN
	INSERT INTO filing_stats (client, project, inbound, outbound, threads, first, last,
	                          attachments)
	SELECT new.client, k.project, k.sign * (m.direction = 0), k.sign * (m.direction = 1),
	       k.sign * (NOT EXISTS (SELECT 1 FROM messages x JOIN filings g ON g.message = x.id
			AND g.client = new.client AND g.project = CASE k.project WHEN '/' THEN '' ELSE k.project END
			WHERE x.thread_id = m.thread_id AND x.id != m.id AND (k.project != '/' OR NOT EXISTS
			(SELECT 1 FROM filings h WHERE h.message = x.id AND h.client = new.client
			AND h.project != '')))),
	       m.date, m.date,
	       k.sign * (SELECT count(*) FROM attachments a WHERE a.message = m.id AND a.is_inline = 0)
	FROM (SELECT new.project AS project, 1 AS sign
		-- The client's filing of a message in none of its projects: other mail.
		UNION ALL SELECT '/', 1 WHERE new.project = '' AND NOT EXISTS (SELECT 1 FROM filings g
			WHERE g.message = new.message AND g.client = new.client AND g.project != '')
		-- Its first project: no longer other mail.
		UNION ALL SELECT '/', -1 WHERE new.project != '' AND EXISTS (SELECT 1 FROM filings g
			WHERE g.message = new.message AND g.client = new.client AND g.project = '')
			AND NOT EXISTS (SELECT 1 FROM filings g WHERE g.message = new.message
			AND g.client = new.client AND g.project NOT IN ('', new.project))) k
	JOIN messages m ON m.id = new.message WHERE TRUE
	ON CONFLICT (client, project) DO UPDATE SET
		inbound = inbound + excluded.inbound,
		outbound = outbound + excluded.outbound,
		threads = threads + excluded.threads,
		attachments = attachments + excluded.attachments,
		-- Added when excluded counts a message in, else taken away; min()
		-- and max() of a NULL stay NULL: unknown until counted.
		first = CASE WHEN excluded.inbound + excluded.outbound > 0 THEN min(first, excluded.first)
		             WHEN first = excluded.first THEN NULL ELSE first END,
		last = CASE WHEN excluded.inbound + excluded.outbound > 0 THEN max(last, excluded.last)
		            WHEN last = excluded.last THEN NULL ELSE last END;
END;

CREATE TRIGGER filings_stats_delete AFTER DELETE ON filings
WHEN NOT EXISTS (SELECT 1 FROM aggregates_paused) BEGIN
	INSERT INTO filing_stats (client, project, inbound, outbound, threads, first, last,
	                          attachments)
	SELECT old.client, k.project, k.sign * (m.direction = 0), k.sign * (m.direction = 1),
	       k.sign * (NOT EXISTS (SELECT 1 FROM messages x JOIN filings g ON g.message = x.id
			AND g.client = old.client AND g.project = CASE k.project WHEN '/' THEN '' ELSE k.project END
			WHERE x.thread_id = m.thread_id AND x.id != m.id AND (k.project != '/' OR NOT EXISTS
			(SELECT 1 FROM filings h WHERE h.message = x.id AND h.client = old.client
			AND h.project != '')))),
	       m.date, m.date,
	       k.sign * (SELECT count(*) FROM attachments a WHERE a.message = m.id AND a.is_inline = 0)
	FROM (SELECT old.project AS project, -1 AS sign
		UNION ALL SELECT '/', -1 WHERE old.project = '' AND NOT EXISTS (SELECT 1 FROM filings g
			WHERE g.message = old.message AND g.client = old.client AND g.project != '')
		UNION ALL SELECT '/', 1 WHERE old.project != '' AND EXISTS (SELECT 1 FROM filings g
			WHERE g.message = old.message AND g.client = old.client AND g.project = '')
			AND NOT EXISTS (SELECT 1 FROM filings g WHERE g.message = old.message
			AND g.client = old.client AND g.project != '')) k
	JOIN messages m ON m.id = old.message WHERE TRUE
	ON CONFLICT (client, project) DO UPDATE SET
		inbound = inbound + excluded.inbound,
		outbound = outbound + excluded.outbound,
		threads = threads + excluded.threads,
		attachments = attachments + excluded.attachments,
		-- Added when excluded counts a message in, else taken away; min()
		-- and max() of a NULL stay NULL: unknown until counted.
		first = CASE WHEN excluded.inbound + excluded.outbound > 0 THEN min(first, excluded.first)
		             WHEN first = excluded.first THEN NULL ELSE first END,
		last = CASE WHEN excluded.inbound + excluded.outbound > 0 THEN max(last, excluded.last)
		            WHEN last = excluded.last THEN NULL ELSE last END;
END;

-- A message leaving takes its filings first, while the triggers above can
-- still read its row (ON DELETE CASCADE would run after it is gone).
CREATE TRIGGER messages_delete_filings BEFORE DELETE ON messages BEGIN
	DELETE FROM filings WHERE message = old.id;
END;

-- Threads merging (index/writer.c assign_thread), one message at a time.
CREATE TRIGGER messages_stats_thread AFTER UPDATE OF thread_id ON messages
WHEN old.thread_id != new.thread_id AND NOT EXISTS (SELECT 1 FROM aggregates_paused) BEGIN
	-- (NOT binds more loosely than + and -.)
	UPDATE filing_stats SET threads = threads
		+ (NOT EXISTS (SELECT 1 FROM messages x JOIN filings g ON g.message = x.id
			AND g.client = filing_stats.client AND g.project = CASE filing_stats.project WHEN '/' THEN '' ELSE filing_stats.project END
			WHERE x.thread_id = new.thread_id AND x.id != new.id AND (filing_stats.project != '/' OR NOT EXISTS (SELECT 1
			FROM filings h WHERE h.message = x.id AND h.client = filing_stats.client AND h.project != ''))))
		- (NOT EXISTS (SELECT 1 FROM messages x JOIN filings g ON g.message = x.id
			AND g.client = filing_stats.client AND g.project = CASE filing_stats.project WHEN '/' THEN '' ELSE filing_stats.project END
			WHERE x.thread_id = old.thread_id AND (filing_stats.project != '/' OR NOT EXISTS (SELECT 1
			FROM filings h WHERE h.message = x.id AND h.client = filing_stats.client AND h.project != ''))))
	WHERE (client, project) IN (SELECT client, project FROM filed WHERE message = new.id);
END;

-- A message parsed again (reindex) with another date or direction.
CREATE TRIGGER messages_stats_change AFTER UPDATE OF date, direction ON messages
WHEN (old.date != new.date OR old.direction != new.direction)
	AND NOT EXISTS (SELECT 1 FROM aggregates_paused) BEGIN
	UPDATE filing_stats SET
		inbound = inbound - (old.direction = 0) + (new.direction = 0),
		outbound = outbound - (old.direction = 1) + (new.direction = 1),
		first = CASE WHEN first = old.date AND new.date > old.date THEN NULL
		             ELSE min(first, new.date) END,
		last = CASE WHEN last = old.date AND new.date < old.date THEN NULL
		            ELSE max(last, new.date) END
	WHERE (client, project) IN (SELECT client, project FROM filed WHERE message = new.id);
END;

CREATE TRIGGER attachments_stats_insert AFTER INSERT ON attachments
WHEN new.is_inline = 0 AND NOT EXISTS (SELECT 1 FROM aggregates_paused) BEGIN
	UPDATE filing_stats SET attachments = attachments + 1
	WHERE (client, project) IN (SELECT client, project FROM filed WHERE message = new.message);
END;
CREATE TRIGGER attachments_stats_delete AFTER DELETE ON attachments
WHEN old.is_inline = 0 AND NOT EXISTS (SELECT 1 FROM aggregates_paused) BEGIN
	UPDATE filing_stats SET attachments = attachments - 1
	WHERE (client, project) IN (SELECT client, project FROM filed WHERE message = old.message);
END;
