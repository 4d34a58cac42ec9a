-- Appeals from the operators of listed services (POST /v1/disputes, /appeal). The disputer holds a token;
-- only its SHA-256 is stored. A reviewer's decision on the indicator resolves its open disputes.
CREATE TABLE disputes (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  indicator_id TEXT NOT NULL REFERENCES indicators(id),
  contact TEXT NOT NULL,
  statement TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'kept', 'removed')),
  created_at TEXT NOT NULL,
  deadline_at TEXT NOT NULL,
  resolved_at TEXT,
  resolution TEXT
);
CREATE INDEX disputes_open_by_indicator ON disputes(indicator_id) WHERE outcome = 'open';
CREATE INDEX disputes_open_by_deadline ON disputes(deadline_at) WHERE outcome = 'open';

-- The review queue reads reported and disputed indicators without scanning the listed million (one partial
-- index per status: SQLite uses a partial index only for a query term that matches its WHERE exactly).
CREATE INDEX indicators_reported ON indicators(org_count, updated_at) WHERE status = 'reported';
CREATE INDEX indicators_disputed ON indicators(org_count, updated_at) WHERE status = 'disputed';
