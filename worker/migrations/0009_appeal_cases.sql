-- Appeals open a case; reviewers decide (issue 18). An appeal no longer makes a listing `disputed`: it is
-- recorded against the target as pasted and canonicalized (kind, value), whether or not that is on the list,
-- so the answer never says which; the open appeals of one target are its case. A member organization's
-- dispute joins the same case (no token, its organization and key kept for the audit). `resolution` is the
-- public reason a reviewer writes for the appellant, never the audit note.
CREATE TABLE disputes_v2 (
  id TEXT PRIMARY KEY,
  token_hash TEXT UNIQUE,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  contact TEXT NOT NULL,
  statement TEXT NOT NULL,
  source_org_id TEXT REFERENCES orgs(id),
  source_key_id TEXT,
  outcome TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'kept', 'removed')),
  created_at TEXT NOT NULL,
  deadline_at TEXT NOT NULL,
  resolved_at TEXT,
  resolution TEXT,
  CHECK ((token_hash IS NULL) = (source_org_id IS NOT NULL))
);
INSERT INTO disputes_v2 (id, token_hash, kind, value, contact, statement, outcome, created_at, deadline_at, resolved_at, resolution)
  SELECT d.id, d.token_hash, i.kind, i.value, d.contact, d.statement, d.outcome, d.created_at, d.deadline_at, d.resolved_at,
    -- Answers written before this held the audit reason (which could name an organization): replaced by the
    -- neutral public answers of shared/list-rules.ts.
    CASE d.outcome
      WHEN 'kept' THEN 'A reviewer looked at this listing and kept it.'
      WHEN 'removed' THEN 'This is not on the list: partners have nothing to act on.'
    END
  FROM disputes AS d JOIN indicators AS i ON i.id = d.indicator_id;
DROP TABLE disputes;
ALTER TABLE disputes_v2 RENAME TO disputes;
CREATE INDEX disputes_open_by_target ON disputes(kind, value) WHERE outcome = 'open';
CREATE INDEX disputes_open_by_deadline ON disputes(deadline_at, kind, value) WHERE outcome = 'open';
CREATE INDEX disputes_by_member ON disputes(source_org_id, kind, value) WHERE source_org_id IS NOT NULL;
