-- Services: the indicators of one nudify brand (its domains and mirrors, apps, merchant ids, handles,
-- wallets) grouped, so partners cut off the whole brand and reviewers decide on it at once.

CREATE TABLE services (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- 'proposed' when a flag's evidence founded it, 'named' once a reviewer has named it.
  state TEXT NOT NULL CHECK (state IN ('proposed', 'named')),
  -- A service merged into another answers for it (GET /v1/services/{old} says where it went).
  merged_into TEXT REFERENCES services(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The identifiers that tie flags to a service: merchant ids, payment keys, wallets, handles and apps seen as
-- its indicators or in its flags' evidence (`kind:value`, or `stripe_key:pk_…` for keys that are no kind).
-- The first service to hold an identifier keeps it; a merge moves them.
CREATE TABLE service_keys (
  key TEXT PRIMARY KEY,
  service_id TEXT NOT NULL REFERENCES services(id)
);
CREATE INDEX service_keys_by_service ON service_keys(service_id);

ALTER TABLE indicators ADD COLUMN service_id TEXT REFERENCES services(id);
CREATE INDEX indicators_by_service ON indicators(service_id, kind, value) WHERE service_id IS NOT NULL;

-- Partners see service moves like any change: the delta carries the service an entry belongs to.
ALTER TABLE changes ADD COLUMN service_id TEXT;
