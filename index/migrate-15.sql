-- Migration to schema version 15: the full-text length of each message (index/doclens.c), for ranking by relevance without a B-tree probe a hit.
-- The tokens of each message's text over all the columns of fts (the sum of
-- its fts_docsize row, which bm25() divides by), IDMAP_CHUNK ids a row, 2
-- bytes an id; 65535 where the length is not held here (never recorded, or
-- that long or longer). Filled from fts_docsize by doclens_rebuild().
CREATE TABLE message_doclens (
	chunk INTEGER PRIMARY KEY,         -- id / 4096
	lens BLOB NOT NULL                 -- 4096 little-endian uint16 token counts
);
