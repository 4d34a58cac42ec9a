-- TAXII clients ask for objects by STIX id (match[id], /objects/{id}/): each change row carries the id of
-- the STIX indicator it is a version of (name-based on kind:value, shared/formats/stix.ts). Rows written
-- before this migration get theirs from the daily job.
ALTER TABLE changes ADD COLUMN stix_id TEXT;
CREATE INDEX changes_stix_id ON changes(stix_id, version);
