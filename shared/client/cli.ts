import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FORMAT_NAMES, FORMAT_TABLE, FORMATS, formatWriter, verifyFile, type FormatName } from '../formats';
import { expressionOf, IndicatorKind } from '../indicator/kinds';
import { LookupResponse, type LookupResult } from '../api/lookup';
import { lookupPlan } from '../api/lookup-answer';
import type { IndicatorSummary } from '../api/common';
import { isOnList } from '../list-rules';
import { Reason } from '../api/common';
import { LocalList } from './local-list';
import { callApi, keySafeEndpoint, sendWithRetries, type Connection, type RetryPolicy } from './http';
import { syncLocalList, trustedKeys, type GetJson } from './sync-engine';
import { isFingerprint, keyFingerprint } from './key-pin';
import { listStatement, PublicKey, PublicKeys, verifyStatement } from '../signed-statements';

/*
 * The partner CLI. `flagline sync` keeps a local file in the format your systems load current through
 * signed deltas; `flagline check` looks inputs up for app-store reviewers.
 */

declare const __FLAGLINE_VERSION__: string;
const VERSION = typeof __FLAGLINE_VERSION__ === 'string' ? __FLAGLINE_VERSION__ : 'dev';

const CONNECTION = `Connection: --endpoint URL --key KEY, or FLAGLINE_ENDPOINT and FLAGLINE_KEY (https, or http to this computer);
--dev uses the reader key and endpoint npm start wrote to .flagline/dev-keys.json (local dev only).
Every request is retried on network errors, 408, 409, 429 and 5xx (honouring Retry-After), --retries times (default 3).`;

const SYNC_USAGE = `Usage: flagline sync --format <format> --out <file> [--kind K] [--reason R] [--state <file>] [--retries N] [--quiet]

Keeps <file> current with the Flagline list: a verified snapshot the first time, verified deltas after,
the copy kept in <file>.state.json (or --state) so an interrupted sync resumes. The file is written atomically.

Verified against one pinned signing key: --public-key <fingerprint> (or FLAGLINE_PUBLIC_KEY), as the operator
publishes it; otherwise the key the endpoint serves on first use is pinned (~/.config/flagline/pins.json) and
printed. A different key later is refused unless a rotation statement signed by the pinned key hands over to it
(then the new key is pinned and printed); --repin pins the served key again (after checking its fingerprint).

Formats:
${FORMAT_NAMES.map((name) => `  ${name.padEnd(7)} ${FORMAT_TABLE[name]}`).join('\n')}

Examples:
  flagline sync --format rpz --out blocklist.rpz
  flagline sync --format csv --out merchants.csv --kind merchant --reason payment_front

${CONNECTION}`;

const CHECK_USAGE = `Usage: flagline check [--local <state file>] [--json] [--retries N] [input ...]

Looks inputs up (URLs, domains, app links, merchant ids, wallets, handles; from stdin when none are given)
and prints each one's status, the listed indicator that covers it, and why. The server sees each input,
unless --local names the copy \`flagline sync\` keeps (<out>.state.json): then nothing leaves this machine.
An input that cannot be read is named on stderr and answers with its error; the others are still checked.

Exit status: 0 when nothing is on the list, 1 when something is (listed or disputed), 2 on an error.

Examples:
  flagline check https://checkout.undress-demo.net/pay acct_1AbCdEfGhIjKlMnO
  cat submissions.txt | flagline check --json
  flagline check --local blocklist.rpz.state.json "$SUBMITTED_URL" || exit 1   # a gate in CI or cron

${CONNECTION}`;

const VERIFY_USAGE = `Usage: flagline verify <file> [--public-key <fingerprint>] [--keys <key set file>]

Checks, offline, a list file downloaded from the Flagline API (/v1/list in any format): its last
"flagline-file-v1" line signs every byte before it. Verified with the signing keys flagline sync pinned
(kept in ~/.config/flagline/keys/), or the key set in --keys (a saved /.well-known/flagline-keys.json),
only the one with --public-key's fingerprint when given. Files flagline sync writes carry no signature line:
sync verified the list before writing them.

Exit status: 0 when the file verifies, 1 when it does not, 2 on an error.

Example:
  curl -fsS -H "Authorization: Bearer $FLAGLINE_KEY" "$FLAGLINE_ENDPOINT/v1/list?format=hosts" -o flagline.hosts
  flagline verify flagline.hosts && sudo cp flagline.hosts /etc/hosts.d/`;

const USAGE = `flagline ${VERSION}: the Flagline blocklist for partners' systems.

Usage:
  flagline sync --format <${FORMAT_NAMES.join('|')}> --out <file> [options]   keep a local file current
  flagline check [--local <state>] [--json] [input ...]               look inputs up (exit 1 when listed)
  flagline verify <file> [--public-key <fingerprint>]                  check a downloaded list file offline
  flagline <command> --help                                            options and examples
  flagline --version

Examples:
  flagline sync --format rpz --out blocklist.rpz
  flagline check https://checkout.undress-demo.net/pay acct_1AbCdEfGhIjKlMnO

${CONNECTION}`;

class UsageError extends Error {}
/** Asked for help: print it and exit 0. */
class HelpRequested extends Error {}

const oneOf = <T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} takes one of ${allowed.join(', ')}; "${value}" is not one.`);
  return value as T;
};

/**
 * Where to send the key: only an endpoint the user named (--endpoint, FLAGLINE_ENDPOINT), or with --dev the one
 * `npm start` wrote to .flagline/dev-keys.json; never one a file in whatever folder the command runs in names on
 * its own. https unless the API is on this computer: plain http would carry the key in the clear.
 */
function connection(values: { endpoint?: string; key?: string; dev?: boolean }): Connection {
  // An empty variable is an unset one.
  let endpoint = values.endpoint ?? (process.env.FLAGLINE_ENDPOINT || undefined);
  let key = values.key ?? (process.env.FLAGLINE_KEY || undefined);
  if (values.dev) {
    if (!existsSync('.flagline/dev-keys.json')) throw new UsageError('--dev reads .flagline/dev-keys.json (written by npm start), and there is none here.');
    const dev = JSON.parse(readFileSync('.flagline/dev-keys.json', 'utf8')) as { endpoint: string; keys: Record<string, string> };
    endpoint ??= dev.endpoint;
    key ??= dev.keys.reader;
  }
  if (!endpoint || !key) throw new UsageError("Say which API to use: --endpoint and --key, or FLAGLINE_ENDPOINT and FLAGLINE_KEY (or --dev for npm start's).");
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`"${endpoint}" is not an address: give the API's URL, like https://flagline.example.org.`);
  }
  if (!keySafeEndpoint(url)) {
    throw new UsageError(`${endpoint}: use https (plain http would carry your key in the clear; it is allowed only to this computer).`);
  }
  return { endpoint, apiKey: key };
}

function retryPolicy(retries: string | undefined, log: (line: string) => void): RetryPolicy {
  const n = Number(retries ?? '3');
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new UsageError(`--retries takes a whole number from 0 to 100, not "${retries}".`);
  return { retries: n, onRetry: ({ attempt, waitMs, reason }) => log(`flagline: ${reason}; retry ${attempt} of ${n} in ${(waitMs / 1000).toFixed(1)}s`) };
}

/** Write-then-rename: readers of the file see the old list or the new one, never half of one. */
function writeAtomically(file: string, content: string): void {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}

interface SavedState {
  endpoint: string;
  version: number;
  /** The server's checksum and signature for this version: a copy changed on disk no longer adds up to them. */
  checksum?: string;
  signature?: { keyId: string; alg: 'Ed25519'; value: string } | null;
  entries: LocalList['entries'] extends Map<string, infer E> ? E[] : never;
}

/**
 * Whether a saved copy is still the one sync verified: its entries add up to the checksum saved with it, and the
 * server's signature over (version, checksum) holds under the given keys. A copy without them (saved by an older
 * flagline) does not count.
 */
async function stateHolds(saved: SavedState, list: LocalList, keys: PublicKeys): Promise<boolean> {
  if (!saved.checksum || !saved.signature || list.checksum() !== saved.checksum) return false;
  return verifyStatement(keys, saved.signature, listStatement(saved.version, saved.checksum));
}

/** The options every command takes: where the API is, the key, how often to retry, and help. */
const CONNECTION_OPTIONS = {
  endpoint: { type: 'string' },
  key: { type: 'string' },
  dev: { type: 'boolean' },
  retries: { type: 'string', default: '3' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where pins are kept: one signing-key fingerprint per endpoint, and each pinned key, in the user's config directory. */
const configDir = () => join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'flagline');
const pinsFile = () => join(configDir(), 'pins.json');
const keysDir = () => join(configDir(), 'keys');

const readPins = (): Record<string, string> => (existsSync(pinsFile()) ? (JSON.parse(readFileSync(pinsFile(), 'utf8')) as Record<string, string>) : {});

function writePin(endpoint: string, fingerprint: string): void {
  mkdirSync(configDir(), { recursive: true });
  writeFileSync(pinsFile(), `${JSON.stringify({ ...readPins(), [endpoint]: fingerprint }, null, 2)}\n`, { mode: 0o600 });
}

/** Keeps a trusted public key by its fingerprint, so `flagline verify` can check files with it offline. */
function saveKey(key: PublicKey): void {
  mkdirSync(keysDir(), { recursive: true });
  writeFileSync(join(keysDir(), `${keyFingerprint(key.x)}.json`), `${JSON.stringify(key, null, 2)}\n`);
}

const givenFingerprint = (value: string | undefined): string | undefined => {
  const given = value ?? (process.env.FLAGLINE_PUBLIC_KEY || undefined);
  if (given !== undefined && !isFingerprint(given))
    throw new UsageError(`--public-key takes the signing key's fingerprint: 64 hex characters, not "${given}".`);
  return given;
};

/**
 * The keys this endpoint's lists must be signed with: the pinned key (--public-key or FLAGLINE_PUBLIC_KEY, as the
 * operator publishes it; else the one pinned for the endpoint; else, on first use or --repin, the one key the
 * endpoint serves now, pinned and printed), or the key a rotation signed by it hands over to (pinned and printed).
 */
async function pinnedKeysFor(endpoint: string, getJson: GetJson, values: { 'public-key'?: string; repin?: boolean }, log: (line: string) => void) {
  const given = givenFingerprint(values['public-key']);
  const trust = await trustedKeys(getJson, given ?? (values.repin ? null : (readPins()[endpoint] ?? null)));
  if (trust.pinnedNow) {
    writePin(endpoint, trust.pin);
    log(`flagline: pinned ${endpoint}'s signing key, fingerprint ${trust.pin} (in ${pinsFile()}); compare it with the one the operator publishes.`);
  } else if (trust.rotated.length) {
    if (!given) writePin(endpoint, trust.pin);
    log(
      `flagline: ${endpoint}'s signing key was rotated from ${trust.rotated.join(' to ')} to ${trust.pin}, by a statement the old key signed; ` +
        (given ? `give --public-key ${trust.pin} from now on.` : `pinned ${trust.pin}.`),
    );
  }
  for (const key of trust.keys.keys) saveKey(key);
  return trust.keys;
}

/** The copy a previous sync saved; a file that is not one is named, so the partner knows which to remove. */
function readState(file: string): SavedState {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
    if (typeof saved.endpoint !== 'string' || !Array.isArray(saved.entries)) throw new Error('it has no endpoint and entries');
    return saved;
  } catch (error) {
    throw new UsageError(
      `${file} is not a copy saved by flagline sync (${error instanceof Error ? error.message : String(error)}); move it away to start again from a snapshot.`,
    );
  }
}

async function sync(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      kind: { type: 'string' },
      reason: { type: 'string' },
      state: { type: 'string' },
      quiet: { type: 'boolean' },
      'public-key': { type: 'string' },
      repin: { type: 'boolean' },
      ...CONNECTION_OPTIONS,
    },
  });
  if (values.help) throw new HelpRequested(SYNC_USAGE);
  const format = values.format as FormatName | undefined;
  if (!format || !(format in FORMATS) || !values.out) throw new UsageError(`sync needs --format (${FORMAT_NAMES.join(', ')}) and --out FILE.`);
  // Only the kinds this format can hold: a hosts file or a zone never carries wallets or URLs.
  const kind = oneOf(`--kind (format ${format})`, values.kind, FORMATS[format].kinds ?? IndicatorKind.options);
  const reason = oneOf('--reason', values.reason, Reason.options);
  const conn = connection(values);
  const stateFile = values.state ?? `${values.out}.state.json`;
  const log = (line: string) => values.quiet || process.stderr.write(`${line}\n`);
  const policy = retryPolicy(values.retries, log);
  const getJson: GetJson = (path) => sendWithRetries(conn, path, {}, policy);

  // Only the pinned key verifies: a mirror serving its own key set cannot sign a list this copy accepts.
  const keys = await pinnedKeysFor(conn.endpoint, getJson, values, log);

  // Resume from the saved copy when it belongs to the same API and is still the copy sync verified; otherwise
  // start from a snapshot, saying why when the copy was changed on disk.
  const saved = existsSync(stateFile) ? readState(stateFile) : null;
  let start = saved?.endpoint === conn.endpoint ? await LocalList.fromSnapshot(saved) : null;
  if (saved && start && !(await stateHolds(saved, start, keys))) {
    log(`flagline: ${stateFile} does not add up to the checksum the server signed (changed since it was saved?); starting again from a verified snapshot`);
    start = null;
  }
  if (start) {
    start.signature = saved!.signature!;
    log(`flagline: resuming from version ${start.version} (${start.entries.size} entries)`);
  }
  const save = async (list: LocalList) => {
    const state: SavedState = {
      endpoint: conn.endpoint,
      version: list.version,
      checksum: list.checksum(),
      signature: list.signature,
      entries: [...list.entries.values()],
    };
    writeAtomically(stateFile, JSON.stringify(state));
  };
  // Each request retries by the shared rule; a sync that still fails keeps its last saved page for the next run.
  const result = await syncLocalList({
    getJson,
    keys,
    list: start,
    save,
    onProgress: (p) => log(`flagline: page ${p.pages}, ${p.changes} changes applied, at version ${p.version}`),
  });

  const spec = FORMATS[format];
  const holds = kind ? [kind] : spec.kinds;
  const entries = [...result.list.entries.values()]
    .filter((e) => (!holds || holds.includes(e.kind)) && (!reason || e.reasons.includes(reason)))
    .sort((a, b) => (a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1));
  const meta = { version: result.list.version, checksum: result.list.checksum(), signature: result.signature, generatedAt: new Date().toISOString() };
  const file = formatWriter(spec, meta);
  let body = file.head();
  for (const entry of entries) body += await file.row(entry);
  body += file.tail();
  writeAtomically(values.out, body);
  log(`flagline: ${values.out} holds ${entries.length} entries at version ${meta.version} (verified, checksum ${meta.checksum.slice(0, 12)}…)`);
}

async function readStdin(): Promise<string[]> {
  if (process.stdin.isTTY) return [];
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * The list as `flagline sync` saved it, by kind:value, once it is shown to be the copy sync verified (with the
 * signing keys sync keeps): nothing leaves this machine to check against it.
 */
async function savedList(file: string): Promise<Map<string, IndicatorSummary>> {
  const saved = readState(file);
  const list = await LocalList.fromSnapshot(saved);
  const keys = keysToVerifyWith({});
  if (!(await stateHolds(saved, list, keys))) {
    throw new CheckError(
      `${file} is not the copy flagline sync verified (its entries do not add up to the checksum the server signed); run flagline sync again.`,
    );
  }
  return new Map([...list.entries.values()].map((entry) => [expressionOf(entry), entry]));
}

/** A check that could not decide: exit status 2, so a gate never reads it as "nothing listed". */
class CheckError extends Error {}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      local: { type: 'string' },
      ...CONNECTION_OPTIONS,
    },
  });
  if (values.help) throw new HelpRequested(CHECK_USAGE);
  const inputs = positionals.length ? positionals : await readStdin();
  if (!inputs.length) throw new UsageError('check needs inputs: as arguments, or one per line on stdin.');
  const results: LookupResult[] = [];
  if (values.local) {
    const list = await savedList(values.local);
    results.push(...lookupPlan(inputs).answers((expression) => list.get(expression)));
  } else {
    const policy = retryPolicy(values.retries, (line) => process.stderr.write(`${line}\n`));
    const conn = connection(values);
    try {
      for (let i = 0; i < inputs.length; i += 10_000) {
        const page = await callApi(conn, LookupResponse, '/v1/lookup', { method: 'POST', body: { inputs: inputs.slice(i, i + 10_000) } }, policy);
        results.push(...page.results);
      }
    } catch (error) {
      throw new CheckError(error instanceof Error ? error.message : String(error));
    }
  }
  // Unreadable inputs are named, one line each; the rest are decided.
  for (const [i, r] of results.entries())
    if (r.error) process.stderr.write(`flagline: input ${i + 1} (${r.input.slice(0, 80)}) cannot be read: ${r.error.message}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
  else {
    const rows = results.map((r) => [
      r.input,
      r.indicator ? expressionOf(r.indicator) : `(${r.error?.code})`,
      r.status + (r.matched ? ` via ${r.matched.kind}:${r.matched.value}` : ''),
      String(r.orgCount),
      r.reasons.join(','),
    ]);
    const table = [['INPUT', 'INDICATOR', 'STATUS', 'ORGS', 'REASONS'], ...rows];
    const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
    for (const row of table)
      process.stdout.write(
        `${row
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd()}\n`,
      );
  }
  return results.some((r) => isOnList(r.status)) ? 1 : 0;
}

/** The keys `verify` trusts: a key set file given, or the keys sync pinned; only the given fingerprint's when named. */
function keysToVerifyWith(values: { keys?: string; 'public-key'?: string }): PublicKeys {
  const given = givenFingerprint(values['public-key']);
  let keys: PublicKey[];
  if (values.keys) {
    try {
      keys = PublicKeys.parse(JSON.parse(readFileSync(values.keys, 'utf8'))).keys;
    } catch (error) {
      throw new UsageError(
        `${values.keys} is not a key set as /.well-known/flagline-keys.json serves it (${error instanceof Error ? error.message.split('\n')[0] : error}).`,
      );
    }
  } else {
    const saved = existsSync(keysDir()) ? readdirSync(keysDir()).filter((name) => name.endsWith('.json')) : [];
    keys = saved.map((name) => PublicKey.parse(JSON.parse(readFileSync(join(keysDir(), name), 'utf8'))));
  }
  if (given) keys = keys.filter((key) => keyFingerprint(key.x) === given);
  if (!keys.length) {
    throw new UsageError(
      given
        ? `No key with fingerprint ${given} ${values.keys ? `in ${values.keys}` : `is kept in ${keysDir()}`}: run flagline sync against the API once, or give --keys.`
        : `No signing key to verify with: run flagline sync against the API once (it pins and keeps the key), or give --keys.`,
    );
  }
  return { keys };
}

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { keys: { type: 'string' }, 'public-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) throw new HelpRequested(VERIFY_USAGE);
  if (positionals.length !== 1) throw new UsageError('verify takes one file.');
  const file = positionals[0]!;
  const keys = keysToVerifyWith(values);
  if (!existsSync(file)) throw new UsageError(`${file}: no such file.`);
  const result = await verifyFile(new Uint8Array(readFileSync(file)), keys);
  if (!result.ok) {
    process.stderr.write(`flagline: ${file} is NOT verified: ${result.message}\n`);
    return 1;
  }
  const key = keys.keys.find((k) => k.kid === result.keyId)!;
  process.stdout.write(`${file}: verified: ${result.format} list at version ${result.version}, signed by key ${keyFingerprint(key.x)}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'sync') await sync(rest);
    else if (command === 'check') return await check(rest);
    else if (command === 'verify') return await verify(rest);
    else if (command === '--version' || command === '-v') process.stdout.write(`${VERSION}\n`);
    else if (command === undefined || command === '--help' || command === '-h' || command === 'help') process.stdout.write(`${USAGE}\n`);
    else {
      process.stderr.write(`flagline: unknown command "${command}" (the commands are sync, check and verify)\n\n${USAGE}\n`);
      return 2;
    }
    return 0;
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.message}\n`);
      return 0;
    }
    // One readable line: parseArgs' own messages (an unknown option) are usage errors too.
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`flagline: ${error.message.split('\n')[0]!.split('. ')[0]} (see flagline ${command} --help)\n`);
      return 2;
    }
    process.stderr.write(`flagline: ${error instanceof Error ? error.message : String(error)}\n`);
    // check's gate reads 1 as "something is listed": its errors are 2, like usage errors.
    return error instanceof UsageError || error instanceof CheckError || command === 'check' || command === 'verify' ? 2 : 1;
  }
}
