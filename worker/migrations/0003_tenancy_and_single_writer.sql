-- Tenancy (one operator organization, suspension), reviewer confirmations that outlive a recount, audit rows
-- a member can read as its own, and the end of the optimistic write lock (the ListWriter Durable Object
-- orders writes now).

-- A suspended organization's keys stop working and its flags stop counting; reinstating undoes both.
ALTER TABLE orgs ADD COLUMN suspended_at TEXT;
-- One operator per deployment: the organization whose admins and reviewers act for everyone.
CREATE UNIQUE INDEX orgs_one_operator ON orgs(kind) WHERE kind = 'operator';

-- 1 when a reviewer confirmed the listing: it then stands whatever the count of organizations does.
ALTER TABLE indicators ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0;
UPDATE indicators SET confirmed = 1
WHERE status IN ('listed', 'disputed')
  AND id IN (SELECT subject_id FROM audit_log WHERE action = 'indicator.confirm');

-- The organization a row concerns (the flagger, the key's or the organization's own), so a member's admin
-- reads its own rows and nobody else's.
ALTER TABLE audit_log ADD COLUMN org_id TEXT;
CREATE INDEX audit_log_org ON audit_log(org_id, id);
CREATE INDEX audit_log_actor_org ON audit_log(actor_org_id, id);

-- Live flags by organization: suspension re-tallies every indicator an organization holds up.
CREATE INDEX flags_live_by_org ON flags(org_id, indicator_id) WHERE live = 1;

DROP TABLE write_seq;
