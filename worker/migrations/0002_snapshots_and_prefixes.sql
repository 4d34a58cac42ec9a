-- Snapshots at an exact version and privacy-preserving prefix lookups.

-- The version of the last list change written for this indicator: a snapshot at version V reads rows with
-- list_version <= V as they are, and rebuilds the few changed after V from the change log.
ALTER TABLE indicators ADD COLUMN list_version INTEGER;
CREATE INDEX indicators_list_version ON indicators(list_version);

-- First 4 bytes of SHA-256("kind:value") as an unsigned integer, for the Rice-coded prefix set.
ALTER TABLE indicators ADD COLUMN hash_prefix INTEGER;
CREATE INDEX indicators_hash_prefix ON indicators(hash_prefix);

CREATE INDEX changes_indicator ON changes(indicator_id, version);
