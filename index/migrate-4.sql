-- Migration to schema version 4: how far each project with
-- save_attachments = yes has had its new mail's attachments saved by ingest
-- (index/autosave.c). A project gets its row the first time ingest sees the
-- setting, pointing at the newest message then: "new" means from then on.
CREATE TABLE autosave (
	client TEXT NOT NULL,              -- [project CLIENT/KEY]'s CLIENT
	project TEXT NOT NULL,             -- ... and KEY
	last_message INTEGER NOT NULL,     -- messages.id up to which attachments are saved
	PRIMARY KEY (client, project)
) WITHOUT ROWID;
