import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared';
import { writeList } from '../../worker/src/services/write';
import type { Caller } from '../../worker/src/types';
import { call, db, flag, newOrg, operatorOrg } from './helpers';

/*
 * Issue 18, from outside, as the attacker would try it: no single organization, anonymous appellant or blind
 * click changes what partners see. Each case is written as the attacker's steps.
 */

const statusOf = (value: string) =>
  db().prepare("SELECT status, org_count FROM indicators WHERE kind = 'domain' AND value = ?1").bind(value).first<{ status: string; org_count: number }>();

/** A flag that passed authentication and is on its way to the single writer (what the route hands it). */
const inFlightFlag = (caller: Caller, value: string) =>
  writeList(env, {
    type: 'flag',
    caller,
    claim: { orgId: caller.orgId, key: crypto.randomUUID(), requestHash: crypto.randomUUID() },
    inputs: [{ target: value, reason: 'nudify_site', indicator: { kind: 'domain', value }, serviceKeys: [] }],
  }).then(
    () => null,
    (error: { status?: number; code?: string }) => [error.status, error.code],
  );

const callerOf = (member: { org: { id: string }; keyIds: Record<Role, string> }, role: Role = 'analyst'): Caller => ({
  keyId: member.keyIds[role],
  orgId: member.org.id,
  role,
  operator: false,
});

describe('races: suspension and revocation are decided in the single writer', () => {
  it('should not count a flag that was in flight when its organization was suspended', async () => {
    const op = await operatorOrg('admin');
    const [honest, suspect] = [await newOrg('analyst'), await newOrg('analyst')];
    await flag(honest.keys.analyst, { target: 'race-suspend-demo.net', reason: 'nudify_site' });
    // The suspect's request is authenticated, then the operator suspends it, then the request reaches the writer.
    const caller = callerOf(suspect);
    expect((await call('POST', `/v1/admin/orgs/${suspect.org.id}/suspend`, { key: op.keys.admin })).status).toBe(200);
    expect(await inFlightFlag(caller, 'race-suspend-demo.net')).toEqual([403, 'org_suspended']);
    expect(await statusOf('race-suspend-demo.net')).toEqual({ status: 'reported', org_count: 1 });
  });

  it('should not commit a flag that was in flight when its key was revoked', async () => {
    const [honest, member] = [await newOrg('analyst'), await newOrg('admin', 'analyst')];
    await flag(honest.keys.analyst, { target: 'race-revoke-demo.net', reason: 'nudify_site' });
    const caller = callerOf(member);
    expect((await call('POST', `/v1/admin/keys/${member.keyIds.analyst}/revoke`, { key: member.keys.admin })).status).toBe(200);
    expect(await inFlightFlag(caller, 'race-revoke-demo.net')).toEqual([401, 'unauthorized']);
    expect(await statusOf('race-revoke-demo.net')).toEqual({ status: 'reported', org_count: 1 });
    const flags = await db().prepare('SELECT COUNT(*) AS n FROM flags WHERE key_id = ?1').bind(member.keyIds.analyst).first<{ n: number }>();
    expect(flags!.n).toBe(0);
  });
});
