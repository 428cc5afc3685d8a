-- The queue where moderators work: it shows open reports unless told otherwise. See hub/README.md
-- "Triage console: queue and clusters" for the measurements behind each statement.

-- Word frequencies precise enough for the planner. At the default target (100) it keeps the 1,000 most common words
-- and guesses every other word at half the rarest of those, far above a word in a few hundred reports out of a
-- million; it then walked the queue's order index hoping to meet a page of matches soon, and read most of the table.
-- At 10,000 it keeps up to 100,000 words, and a word it has not kept is rare indeed, so a rare word is looked up.
-- ANALYZE then samples 3,000,000 rows (17 s at a million reports, run by autovacuum after enough changes).
ALTER TABLE reports ALTER COLUMN search SET STATISTICS 10000;

-- The open reports' words alone. Combining the whole-table word index with the open-reports index meant reading the
-- latter in full (111,000 entries at a million reports) for every search; this index is about a tenth of the size of
-- reports_search_idx, and a closed report leaves it when vacuum passes.
CREATE INDEX reports_search_open_idx ON reports USING gin (search) WHERE status <> 'closed';

-- The open queue's walk checks its filters in the index alone. Counting the open reports of one platform and one
-- characteristic (up to the queue's cap) combined three whole bitmaps and took 0.8 s at a million reports; with the
-- filter columns in the index it is an index-only scan of a few thousand entries (4 ms). Only the open reports' index
-- carries them: it is small (22 MB at a million reports), and the same columns in the all-statuses index would have
-- quadrupled it (47 to 197 MB) for cases already within budget.
DROP INDEX reports_queue_open_idx;
CREATE INDEX reports_queue_open_idx ON reports (urgent, received_at, reference)
  INCLUDE (assigned_to, characteristics, harm_types, platforms) WHERE status <> 'closed';
