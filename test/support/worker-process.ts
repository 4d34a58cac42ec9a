import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript helpers shared with `npm start`
import { ROOT, bin, offlineEnv } from '../../scripts/lib/env.mjs';
// @ts-expect-error plain JavaScript helpers shared with `npm start`
import { generateSecret, newOrgId, seedSql } from '../../scripts/lib/dev-keys.mjs';
// @ts-expect-error plain JavaScript helpers shared with `npm start`
import { ensureSigningKey } from '../../scripts/lib/signing-key.mjs';

export { bin, ROOT };

export const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/** The real worker under `wrangler dev`, with its own fresh local D1 that survives stop/start. */
export class WorkerProcess {
  readonly persistDir = mkdtempSync(join(tmpdir(), 'flagline-d1-'));
  private child: ChildProcess | null = null;
  private migrated = false;
  port = 0;

  /**
   * withoutRateLimits: the load test measures the write path, not the abuse limits or flag budgets (wrangler.jsonc keeps
   * them). inspectorPort: where DevTools (and the worker bench's heap sampler) reach the worker.
   */
  constructor(private readonly options: { withoutRateLimits?: boolean; inspectorPort?: number } = {}) {}

  private configFile: string | null = null;

  /** The wrangler config to run with: the project's own, or a copy with the rate limits lifted (written once). */
  private configArgs(): string[] {
    if (!this.options.withoutRateLimits) return [];
    if (this.configFile) return ['--config', this.configFile];
    const file = join(this.persistDir, 'wrangler.load.json');
    const source = readFileSync(join(ROOT, 'wrangler.jsonc'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const config = JSON.parse(source) as {
      main: string;
      d1_databases: { migrations_dir: string }[];
      ratelimits: { simple: { limit: number } }[];
      vars: Record<string, string>;
    };
    config.main = join(ROOT, config.main);
    for (const db of config.d1_databases) db.migrations_dir = join(ROOT, db.migrations_dir);
    for (const limiter of config.ratelimits) limiter.simple.limit = 1_000_000;
    config.vars.FLAGS_PER_ORG_PER_HOUR = '1000000';
    writeFileSync(file, JSON.stringify(config));
    this.configFile = file;
    return ['--config', file];
  }

  get endpoint() {
    return `http://127.0.0.1:${this.port}`;
  }

  private wrangler(args: string[]) {
    const result = spawnSync(bin('wrangler'), [...args, ...this.configArgs(), '--persist-to', this.persistDir], {
      cwd: ROOT,
      env: offlineEnv(),
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  }

  /**
   * Starts `wrangler dev` on a port no one holds. A port found free can be taken before wrangler binds it,
   * so the port is probed by wrangler itself: if it exits before answering, another port is tried; a
   * restart (stop, start) keeps its port, as a client would expect of a server coming back.
   */
  async start(): Promise<void> {
    if (!this.migrated) {
      this.wrangler(['d1', 'migrations', 'apply', 'DB', '--local']);
      ensureSigningKey(join(this.persistDir, '.dev.vars'));
      this.migrated = true;
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = this.port || 20_000 + Math.floor(Math.random() * 40_000);
      if (await this.launch(port)) {
        this.port = port;
        return;
      }
      if (this.port) break;
    }
    throw new Error('wrangler dev did not become ready');
  }

  private async launch(port: number): Promise<boolean> {
    // Request logging costs wrangler's Node process about as much CPU as the worker spends: errors only.
    // WORKER_LOG=<file> keeps the worker's output for debugging.
    const args = [
      'dev',
      ...this.configArgs(),
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      this.persistDir,
      '--env-file',
      join(this.persistDir, '.dev.vars'),
      '--show-interactive-dev-session=false',
      '--log-level',
      'error',
      ...(this.options.inspectorPort ? ['--inspector-port', String(this.options.inspectorPort)] : []),
    ];
    // Its own process group, so crash() can take wrangler and workerd down together, as a machine failing would.
    const log = process.env.WORKER_LOG ? openSync(process.env.WORKER_LOG, 'a') : null;
    const child = spawn(bin('wrangler'), args, {
      cwd: ROOT,
      detached: true,
      env: offlineEnv(),
      stdio: log === null ? 'ignore' : ['ignore', log, log],
    });
    this.child = child;
    for (let i = 0; i < 120; i++) {
      // An answer counts only while our wrangler is alive: another server on a taken port is not ours.
      if (child.exitCode !== null) return false;
      if (
        await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return child.exitCode === null;
      await new Promise((r) => setTimeout(r, 250));
    }
    await this.stop();
    return false;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /** Kills wrangler and workerd at once with SIGKILL, mid-write if a write is running: a crash, not a shutdown. */
  async crash(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid, 'SIGKILL');
    await exited;
  }

  /** An organization with keys for the given roles, written to D1 the way `npm start` seeds dev keys. */
  createOrg(name: string, roles: string[], kind = 'payment_processor'): { orgId: string; keys: Record<string, string> } {
    const { orgId, keys } = this.createOrgs([{ name, roles, kind }])[0]!;
    return { orgId, keys: Object.fromEntries(keys) };
  }

  /** Many organizations at once (one wrangler call), each with a list of [role, key] pairs: roles may repeat. */
  createOrgs(orgs: { name: string; roles: string[]; kind?: string }[]): { orgId: string; keys: [string, string][] }[] {
    const created = orgs.map(({ name, roles, kind = 'payment_processor' }) => ({
      orgId: newOrgId() as string,
      name,
      kind,
      keys: roles.map((role): [string, string] => [role, generateSecret()]),
    }));
    const file = join(this.persistDir, `${created[0]!.orgId}.sql`);
    writeFileSync(file, created.map((o) => seedSql({ orgId: o.orgId, orgName: o.name, orgKind: o.kind, keys: o.keys })).join('\n'));
    this.wrangler(['d1', 'execute', 'DB', '--local', `--file=${file}`]);
    return created.map(({ orgId, keys }) => ({ orgId, keys }));
  }

  /**
   * A call to the worker as a partner's script would make it. Retries once when a kept-alive socket was
   * closed by wrangler dev between calls (a local-dev quirk, not an API answer).
   */
  async fetch(path: string, key: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
    const request = () =>
      fetch(`${this.endpoint}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { authorization: `Bearer ${key}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    try {
      return await request();
    } catch {
      return request();
    }
  }

  /** Flags a target as one organization's analyst would, with a fresh Idempotency-Key. */
  flag(key: string, target: string, reason = 'nudify_site'): Promise<Response> {
    return this.fetch('/v1/flags', key, { body: { target, reason }, headers: { 'idempotency-key': crypto.randomUUID() } });
  }

  query<T>(sql: string): T[] {
    const out = this.wrangler(['d1', 'execute', 'DB', '--local', '--json', `--command=${sql}`]);
    return (JSON.parse(out) as { results: T[] }[])[0]!.results;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.persistDir, { recursive: true, force: true });
  }
}
