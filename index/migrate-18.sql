-- Migration to schema version 18: every domain an address row has, once,
-- so that `from:@acme.example` (the domain and its subdomains,
-- query/fields.c) finds its domains in this small table and then seeks
-- addresses_domain for each, where `domain LIKE '%.acme.example'` read the
-- whole of addresses_domain (350-400 ms at a million messages with a word
-- beside it). The writer adds a new address's domain in the address's
-- transaction (index/writer-content.c); a domain whose last address is
-- gone stays, and finds nothing. `check` reports a domain missing here.
-- IF NOT EXISTS and OR IGNORE: the tests take an index back to an earlier
-- version and open it again.
CREATE TABLE IF NOT EXISTS domains (
	domain TEXT PRIMARY KEY             -- addresses.domain
) WITHOUT ROWID;
INSERT OR IGNORE INTO domains (domain) SELECT DISTINCT domain FROM addresses;
