-- Migration to schema version 9: follow-ups marked done or snoozed
-- (`followups done|snooze`: written by index/followup-state.c, read by
-- query/followups.c). Kept by the message that was the thread's last when
-- it was marked, so that the mark survives threads merging: a later
-- message in the thread, or the end of a snooze, brings the thread back.
-- Marking a thread again replaces the marks of all its messages.
CREATE TABLE followup_state (
	message INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
	state TEXT NOT NULL CHECK (state IN ('done', 'snoozed')),
	until INTEGER,                     -- snoozed: UTC seconds it ends; NULL when done
	note TEXT NOT NULL DEFAULT '',
	marked INTEGER NOT NULL            -- when, UTC seconds
);
-- A thread's last message (latest date, then highest id), which follow-ups
-- judge each thread by, is one seek of this index: (thread_id, date) and
-- the rowid after them. It serves the writer's thread_id lookups as the
-- index it replaces did.
DROP INDEX messages_thread;
CREATE INDEX messages_thread ON messages(thread_id, date);
