-- Migration: each thread's last message kept by the writer, so that
-- `followups` (and `clients` and `projects`, which count follow-ups) start
-- from the threads whose last message is in their window rather than test
-- every message of it against its thread (issue 15).

-- A thread's last message is the last one a person wrote: the first by
-- automated, then date, then id, both descending (query/followups.c,
-- LAST_OF_THREAD); the last automated one only in a thread of nothing else.
-- The writer keeps it exact in its transactions (index/aggregates.c): new
-- mail upserts it, a thread that loses, merges or changes messages is
-- noted in stats_dirty and found again before the commit.
CREATE TABLE thread_last (
	thread_id INTEGER PRIMARY KEY,      -- messages.thread_id
	message INTEGER NOT NULL,           -- messages.id
	date INTEGER NOT NULL,              -- its messages.date
	automated INTEGER NOT NULL          -- its messages.automated
);

-- The threads of the index there already, in thread order (messages_thread
-- gives them in order, so the rows are appended).
INSERT INTO thread_last (thread_id, message, date, automated)
SELECT t.thread_id, m.id, m.date, m.automated
FROM (SELECT DISTINCT thread_id FROM messages) t
CROSS JOIN messages m ON m.id = (SELECT x.id FROM messages x WHERE x.thread_id = t.thread_id
	ORDER BY x.automated, x.date DESC, x.id DESC LIMIT 1);

-- `followups`: the threads a person wrote last to, by date, with the message.
CREATE INDEX thread_last_date ON thread_last (automated, date, message);
