-- Partial indexes over what is on the list (the statuses of shared/list-rules.ts ON_LIST, which the
-- queries spell the same way): full hashes by prefix and prefix-set ranges read only the matching
-- prefixes, and snapshot pages walk (kind, value) in order with no sort, instead of reading every listed
-- row through the status index (0.5 s per /v1/hashes call at a million entries).
CREATE INDEX indicators_on_list_by_prefix ON indicators(hash_prefix) WHERE status IN ('listed', 'disputed');
CREATE INDEX indicators_on_list_by_key ON indicators(kind, value) WHERE status IN ('listed', 'disputed');
-- Replaced by the two above: with it, the planner read every listed row by status rather than use them.
DROP INDEX indicators_listed;
