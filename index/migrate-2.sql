-- Migration to schema version 2: where each message is filed (the client and
-- project rules of the configuration, index/rules.c), and why.
CREATE TABLE filings (
	message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	client TEXT NOT NULL,              -- [client KEY]
	project TEXT NOT NULL,             -- [project CLIENT/KEY]'s KEY, or '' for the client itself
	rule TEXT NOT NULL,                -- "domain acme.example", "subject /ACME-\d+/i", "thread", ...
	matched TEXT NOT NULL,             -- the text that matched
	PRIMARY KEY (message, client, project)
) WITHOUT ROWID;
CREATE INDEX filings_client ON filings(client, project, message);
CREATE INDEX filings_project ON filings(project, message);
