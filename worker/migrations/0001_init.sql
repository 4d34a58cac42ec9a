-- Flagline's store. Changes only through new numbered migrations; tests apply these same files.

CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- Keys are stored only as SHA-256 of the secret (high-entropy random, so no slow hash is needed).
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'analyst', 'reader')),
  label TEXT NOT NULL,
  prefix TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_keys_org ON api_keys(org_id);

CREATE TABLE indicators (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('reported', 'listed', 'disputed', 'delisted')),
  reasons TEXT NOT NULL DEFAULT '[]',
  org_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (kind, value)
);
CREATE INDEX indicators_listed ON indicators(status, kind, value);

CREATE TABLE flags (
  id TEXT PRIMARY KEY,
  indicator_id TEXT NOT NULL REFERENCES indicators(id),
  org_id TEXT NOT NULL REFERENCES orgs(id),
  key_id TEXT NOT NULL REFERENCES api_keys(id),
  target TEXT NOT NULL,
  reason TEXT NOT NULL,
  note TEXT,
  evidence TEXT,
  live INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
-- One live flag per organization and indicator.
CREATE UNIQUE INDEX flags_one_live ON flags(indicator_id, org_id) WHERE live = 1;
CREATE INDEX flags_by_org ON flags(org_id, created_at);

-- The list's one monotonic sequence: every change partners can see gets the next version.
-- `checksum` is the list's set hash after this change (shared/checksum.ts).
CREATE TABLE changes (
  version INTEGER PRIMARY KEY,
  indicator_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'remove')),
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  status TEXT,
  reasons TEXT NOT NULL,
  org_count INTEGER NOT NULL,
  checksum TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- Optimistic lock for writes that read indicator state first: each takes the next rev, and a concurrent
-- write that took it first makes the later batch fail as a whole and retry from fresh reads.
CREATE TABLE write_seq (
  rev INTEGER PRIMARY KEY,
  at TEXT NOT NULL
);

-- What was pruned from `changes`: a delta from before this version must resync from the list.
CREATE TABLE list_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pruned_before INTEGER NOT NULL DEFAULT 0
);
INSERT INTO list_meta (id, pruned_before) VALUES (1, 0);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  actor_org_id TEXT,
  actor_key_id TEXT,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  reason TEXT,
  details TEXT
);
CREATE INDEX audit_log_subject ON audit_log(subject_type, subject_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE idempotency (
  org_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (org_id, key)
);
