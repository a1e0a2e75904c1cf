-- The aggregates of migrate-14.sql (filing_stats) counted whole from the
-- rows they sum up: after migration 14, and by reclassify, which files
-- every message again with the triggers paused.
DELETE FROM filing_stats;
INSERT INTO filing_stats (client, project, inbound, outbound, threads, first, last, attachments)
	SELECT f.client, f.project, sum(m.direction = 0), sum(m.direction = 1),
	       count(DISTINCT m.thread_id), min(m.date), max(m.date),
	       sum((SELECT count(*) FROM attachments a WHERE a.message = m.id
	            AND a.is_inline = 0))
	FROM filed f JOIN messages m ON m.id = f.message
	GROUP BY f.client, f.project;
