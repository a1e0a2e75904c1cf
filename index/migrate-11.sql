-- Migration to schema version 11: each message's labels (Gmail's
-- X-Gmail-Labels, ingest/headers.c), which label: searches.
CREATE TABLE labels (
	message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	label TEXT NOT NULL,               -- as the message gives it, e.g. "Clients/Kaneren"
	folded TEXT NOT NULL               -- mc_label_key(label): NFKC, case-folded; what label: compares
);
CREATE INDEX labels_message ON labels(message);
-- Covering: label: reads the index alone (an exact key, or a GLOB prefix of
-- it for a subtree).
CREATE INDEX labels_folded ON labels(folded, message);
-- Messages indexed before have no labels until `reindex` reads them again.
INSERT INTO reindex_needed (one, why) SELECT 1, 'labels' WHERE EXISTS (SELECT 1 FROM messages)
	ON CONFLICT (one) DO UPDATE SET why = why || ', labels';
