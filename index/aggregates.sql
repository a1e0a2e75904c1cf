-- The aggregates of migrate-14.sql counted whole from the rows they sum up:
-- after migration 14, and by reclassify, which files every message again. The rows of a key are a message's filings, and
-- for its client's own filing ('') in none of the client's projects, the
-- key '/' too (k = 1).
DELETE FROM stats_dirty;
DELETE FROM thread_stats;
DELETE FROM filing_stats;
INSERT INTO thread_stats (thread_id, client, project, inbound, outbound, first, last, attachments)
	SELECT m.thread_id, f.client, CASE k.k WHEN 0 THEN f.project ELSE '/' END,
	       sum(m.direction = 0), sum(m.direction = 1), min(m.date), max(m.date),
	       sum(CASE WHEN m.has_attachments THEN (SELECT count(*) FROM attachments a
	           WHERE a.message = m.id AND a.is_inline = 0) ELSE 0 END)
	FROM filings f CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1) k
	JOIN messages m ON m.id = f.message
	WHERE k.k = 0 OR (f.project = '' AND NOT EXISTS (SELECT 1 FROM filings g
		WHERE g.message = f.message AND g.client = f.client AND g.project != ''))
	GROUP BY 1, 2, 3;
INSERT INTO filing_stats (client, project, inbound, outbound, threads, first, last, attachments)
	SELECT client, project, sum(inbound), sum(outbound), count(*), min(first), max(last),
	       sum(attachments)
	FROM thread_stats GROUP BY client, project;
