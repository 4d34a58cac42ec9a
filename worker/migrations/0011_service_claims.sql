-- Evidence proposes; corroboration decides (issue 18). An identifier in one organization's evidence used to bind
-- every later flag to the first service that claimed it. Now each organization's claim that an identifier belongs
-- to a service is kept apart: a claim binds that organization's own later flags, and everyone's once a second
-- member organization claims the same (identifier, service) or a reviewer has named the service.
CREATE TABLE service_claims (
  key TEXT NOT NULL,
  service_id TEXT NOT NULL REFERENCES services(id),
  -- '' for claims made before claims were attributed: they bind nobody until corroborated or named.
  org_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (key, service_id, org_id)
);
CREATE INDEX service_claims_by_service ON service_claims(service_id);
INSERT INTO service_claims (key, service_id, org_id, created_at)
  SELECT k.key, k.service_id, '', s.created_at FROM service_keys AS k JOIN services AS s ON s.id = k.service_id;
DROP TABLE service_keys;
