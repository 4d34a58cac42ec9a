import { Agent, request } from 'node:http';
import { afterAll, beforeAll, it } from 'vitest';
import { statusAfterCount, type FlagResponse, type Status } from '../../shared';
import { fetchPublicKeys, syncLocalList, type GetJson, type LocalList } from '../../shared/client';
import { WorkerProcess } from '../support/worker-process';

/*
 * `npm run load`: many analysts flagging at once against a fresh local worker (its own port and D1), then
 * the database checked for what a busy hour must never do: lose, duplicate or miscount a flag, or leave a
 * syncing partner out of step. Figures and targets are printed side by side, measured in this one run.
 */
const SECONDS = Number(process.env.LOAD_SECONDS ?? 8);
const STEPS = [1, 10, 50];
const ORGS = 5;
const TARGETS = 4000; // overlapping: organizations meet on the same targets, so consensus is exercised
const REPLAY_SHARE = 0.1; // a response "lost": the client sends the same request again with the same key
const THRESHOLD = 2;

// The abuse limits are lifted here: this measures the write path, not the Rate Limiting binding.
const worker = new WorkerProcess({ withoutRateLimits: true });
let analysts: { orgId: string; key: string }[] = [];
let reader = '';

interface Counts {
  conflicts: number;
  serverErrors: number;
  /** Requests that met no server (refused or cut connections) and were sent again with the same key. */
  networkErrors: number;
}

interface StepFigures extends Counts {
  clients: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** What clients were told: every flag id and the (organization, indicator) pairs answered. */
const seenFlagIds = new Set<string>();
const acceptedFlagIds = new Set<string>();
let replayMismatches = 0;
let unfinished = 0;

// node:http with kept-alive sockets: fetch costs the load generator several times the CPU per request, and it
// shares this machine's cores with the worker it measures.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function post(path: string, headers: Record<string, string>, body: string | null): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${worker.endpoint}${path}`, { method: body === null ? 'GET' : 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One flag as the extension and CLI send it: retried on 408/409/429/5xx and network errors with the same key,
 * backing off up to a second, for as long as a minute (a worker coming back after a crash takes seconds).
 */
async function sendFlag(key: string, body: unknown, idempotencyKey: string, counts: Counts) {
  const giveUpAt = Date.now() + 60_000;
  for (let attempt = 0; Date.now() < giveUpAt; attempt++) {
    const backoff = Math.min(1000, 50 * 2 ** attempt);
    let response: { status: number; text: string };
    try {
      response = await post(
        '/v1/flags',
        { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        JSON.stringify(body),
      );
    } catch {
      counts.networkErrors++;
      await sleep(backoff);
      continue;
    }
    if (response.status === 409) counts.conflicts++;
    if (response.status >= 500) counts.serverErrors++;
    if ([408, 409, 429].includes(response.status) || response.status >= 500) {
      await sleep(backoff);
      continue;
    }
    return { status: response.status, json: JSON.parse(response.text) as FlagResponse };
  }
  return null;
}

async function flagStep(clients: number): Promise<StepFigures> {
  const latencies: number[] = [];
  const counts: Counts = { conflicts: 0, serverErrors: 0, networkErrors: 0 };
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  const client = async (i: number) => {
    const { key } = analysts[i % analysts.length]!;
    while (Date.now() < deadline) {
      const body = { target: `load-${Math.floor(Math.random() * TARGETS)}-demo.net`, reason: 'nudify_site', evidence: { title: `Load ${i}` } };
      const idempotencyKey = crypto.randomUUID();
      const t0 = performance.now();
      const answer = await sendFlag(key, body, idempotencyKey, counts);
      latencies.push(performance.now() - t0);
      if (!answer || answer.status >= 400) {
        unfinished++;
        continue;
      }
      for (const r of answer.json.results) {
        seenFlagIds.add(r.flagId);
        if (r.outcome === 'accepted') acceptedFlagIds.add(r.flagId);
      }
      if (Math.random() < REPLAY_SHARE) {
        // Keys in another order, as a client replaying from storage might send them.
        const again = await sendFlag(key, { evidence: body.evidence, reason: body.reason, target: body.target }, idempotencyKey, counts);
        if (!again || JSON.stringify(again.json) !== JSON.stringify(answer.json)) replayMismatches++;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    clients,
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    ...counts,
  };
}

async function healthCeiling(clients: number): Promise<number> {
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  let n = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        const res = await post('/health', {}, null).catch(() => null);
        if (res?.status === 200) n++;
      }
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

/** A partner syncing through the shared sync engine while the load runs, as `flagline sync` does. */
function partner() {
  const getJson: GetJson = async (path) => {
    const res = await fetch(`${worker.endpoint}${path}`, { headers: { authorization: `Bearer ${reader}` } });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  let list: LocalList | null = null;
  let running = true;
  let syncs = 0;
  let failures = 0;
  const loop = (async () => {
    const keys = await fetchPublicKeys(getJson);
    while (running) {
      try {
        list = (await syncLocalList({ getJson, keys, list, save: async () => {} })).list;
        syncs++;
      } catch {
        failures++;
      }
      await sleep(500);
    }
    list = (await syncLocalList({ getJson, keys, list, save: async () => {} })).list;
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { list: list!, syncs, failures };
    },
  };
}

/**
 * The fault step: 10 clients flag while the worker is killed (SIGKILL to wrangler and workerd, mid-write if a
 * write is running) halfway through and started again on its port; clients keep retrying with their keys.
 */
async function faultStep(clients: number) {
  const step = flagStep(clients);
  await sleep((SECONDS * 1000) / 2);
  const killedAt = performance.now();
  await worker.crash();
  await worker.start();
  const downSeconds = (performance.now() - killedAt) / 1000;
  return { ...(await step), downSeconds };
}

beforeAll(async () => {
  await worker.start();
  const [operator, ...members] = worker.createOrgs([
    { name: 'Load Operator', roles: ['reader'], kind: 'operator' },
    ...Array.from({ length: ORGS }, (_, i) => ({ name: `Load Member ${i + 1}`, roles: Array(10).fill('analyst') })),
  ]);
  reader = operator!.keys[0]![1];
  // Client i uses organization i % 5: 50 clients are 10 analysts in each of 5 organizations.
  analysts = Array.from({ length: 10 }, (_, k) => members.map((m) => ({ orgId: m.orgId, key: m.keys[k]![1] }))).flat();
  // Warm the worker and its writer before measuring.
  const warm = await sendFlag(analysts[0]!.key, { target: 'warm-up-demo.net', reason: 'other' }, crypto.randomUUID(), {
    conflicts: 0,
    serverErrors: 0,
    networkErrors: 0,
  });
  for (const r of warm?.json.results ?? []) seenFlagIds.add(r.flagId);
}, 120_000);

afterAll(async () => {
  await worker.dispose();
});

it('flagging under load', async () => {
  const sync = partner();
  const steps: StepFigures[] = [];
  for (const clients of STEPS) steps.push(await flagStep(clients));
  const health = await healthCeiling(50);
  const fault = await faultStep(10);
  const partnerCopy = await sync.stop();
  await worker.stop();

  // Checked against the database itself.
  const dbFlags = worker.query<{ id: string }>('SELECT id FROM flags');
  const dbIds = new Set(dbFlags.map((f) => f.id));
  const lost = [...seenFlagIds].filter((id) => !dbIds.has(id)).length + unfinished;
  const twiceLive = worker.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM (SELECT 1 FROM flags WHERE live = 1 GROUP BY indicator_id, org_id HAVING COUNT(*) > 1)',
  )[0]!.n;
  const duplicated = dbFlags.filter((f) => !seenFlagIds.has(f.id)).length + twiceLive + replayMismatches;
  const counted = worker.query<{ value: string; status: Status; org_count: number; confirmed: number; n: number }>(
    `SELECT i.value, i.status, i.org_count, i.confirmed, (SELECT COUNT(DISTINCT f.org_id) FROM flags AS f JOIN orgs AS o ON o.id = f.org_id
       WHERE f.indicator_id = i.id AND f.live = 1 AND o.kind != 'operator' AND o.suspended_at IS NULL) AS n FROM indicators AS i`,
  );
  const disagreeing = counted.filter((r) => r.org_count !== r.n || statusAfterCount(r.status, r.confirmed === 1, r.n, THRESHOLD) !== r.status).length;
  const listed = counted.filter((r) => r.status === 'listed').length;
  await worker.start();
  const server = (await (await fetch(`${worker.endpoint}/v1/list`, { headers: { authorization: `Bearer ${reader}` } })).json()) as {
    version: number;
    checksum: string;
  };
  const converged = partnerCopy.list.version === server.version && partnerCopy.list.checksum() === server.checksum;

  const base = steps[0]!.perSecond;
  const top = steps.at(-1)!;
  const line = (...cells: (string | number)[]) => console.log(cells.map((c, i) => String(c).padEnd(i === 0 ? 10 : 13)).join(''));
  console.log(
    `\nFlagline load: ${SECONDS} s per step, ${ORGS} organizations, ${TARGETS} overlapping targets, ${REPLAY_SHARE * 100}% replays (Node ${process.version})\n`,
  );
  line('clients', 'flags/s', 'p50', 'p99', '409s', '5xx', 'requests');
  for (const s of steps) line(s.clients, s.perSecond.toFixed(1), `${s.p50.toFixed(0)} ms`, `${s.p99.toFixed(0)} ms`, s.conflicts, s.serverErrors, s.requests);
  line('health@50', health.toFixed(1), '', '', '', '', '(GET /health: the runtime’s ceiling here)');
  line(
    'fault@10',
    fault.perSecond.toFixed(1),
    `${fault.p50.toFixed(0)} ms`,
    `${fault.p99.toFixed(0)} ms`,
    fault.conflicts,
    fault.serverErrors,
    `${fault.requests} (killed mid-step, back in ${fault.downSeconds.toFixed(1)} s; ${fault.networkErrors} sends met no server and were retried)`,
  );
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  console.log(`
Checked against D1 after the run (${dbFlags.length} flags, ${counted.length} indicators, ${listed} listed):
  flags lost           ${lost}   (target 0) ${verdict(lost === 0)}
  flags duplicated     ${duplicated}   (target 0) ${verdict(duplicated === 0)}
  counts disagreeing   ${disagreeing}   (target 0) ${verdict(disagreeing === 0)}
  conflicts (409)      ${steps.reduce((n, s) => n + s.conflicts, 0)}   (target 0) ${verdict(steps.every((s) => s.conflicts === 0))}
  after the crash      ${lost} lost, ${duplicated} duplicated over the whole run, the partner ${converged ? 'converged' : 'DID NOT converge'} ${verdict(lost === 0 && duplicated === 0 && converged)}
  partner copy         ${converged ? 'equals the list' : 'DIFFERS'} at version ${server.version} (${partnerCopy.syncs} syncs during the run, ${partnerCopy.failures} failed) ${verdict(converged)}
  50 vs 1 client       ${(top.perSecond / base).toFixed(1)}x   (target 5x) ${verdict(top.perSecond >= 5 * base)}
  50 clients vs /health ${(top.perSecond / health).toFixed(2)}   (target 0.33) ${verdict(top.perSecond >= health / 3)}
`);
}, 600_000);
