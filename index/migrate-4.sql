-- Migration to schema version 4: what save_attachments = yes has saved
-- (index/autosave.c). A project gets its autosave row the first time ingest
-- sees the setting, at the newest message then: "new mail" is mail after it.
-- Which of those messages are saved is kept per message, not as a mark:
-- thread inheritance and reclassify file older ids under a project too.
CREATE TABLE autosave (
	client TEXT NOT NULL,              -- [project CLIENT/KEY]'s CLIENT
	project TEXT NOT NULL,             -- ... and KEY
	since_message INTEGER NOT NULL,    -- messages.id when the setting was first seen
	PRIMARY KEY (client, project)
) WITHOUT ROWID;

CREATE TABLE autosaved (
	message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	client TEXT NOT NULL,
	project TEXT NOT NULL,
	PRIMARY KEY (client, project, message)
) WITHOUT ROWID;
CREATE INDEX autosaved_message ON autosaved(message);
