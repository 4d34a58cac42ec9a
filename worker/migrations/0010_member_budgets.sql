-- Budgets per member organization (issue 18): a withdrawal's time, so the same organization's re-flag of that
-- indicator waits out a cool-down, and flags counted per organization across all its keys (flags_by_org).
ALTER TABLE flags ADD COLUMN withdrawn_at TEXT;
CREATE INDEX flags_withdrawn_by_org ON flags(org_id, indicator_id, withdrawn_at) WHERE withdrawn_at IS NOT NULL;

-- An expiry retires the flags behind a stale listing: kept apart from a reviewer's rejection, so an organization's
-- figures count its expired flags as expired, not rejected.
ALTER TABLE flags ADD COLUMN expired_at TEXT;
