import type { IndicatorKind } from '../indicator/kinds';
import type { ListEntry } from '../api/list';
import { stixFormat } from './stix';

/*
 * Every list format, written by one set of functions: the worker streams snapshots with them and the
 * partner CLI writes its local files with them, so a file is the same whichever side made it.
 */

/** A list entry with, where known, when it was first and last changed (STIX wants both). */
export interface SnapshotEntry extends ListEntry {
  createdAt?: string;
  updatedAt?: string;
}

export interface SnapshotMeta {
  version: number;
  checksum: string;
  signature: { keyId: string; alg: 'Ed25519'; value: string };
  generatedAt: string;
}

/** One output format: its media type, the kinds it can hold, and how to write its head, rows and tail. */
export interface Format {
  contentType: string;
  extension: string;
  kinds?: IndicatorKind[];
  head(meta: SnapshotMeta): string;
  row(entry: SnapshotEntry, index: number): string | Promise<string>;
  tail(meta: SnapshotMeta): string;
}

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const publicEntry = ({ kind, value, status, reasons, orgCount }: SnapshotEntry) => ({ kind, value, status, reasons, orgCount });
const isIp = (value: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(value);
const WEB_KINDS: IndicatorKind[] = ['domain', 'host'];

const FORMAT_LIST = {
  json: {
    contentType: 'application/json; charset=utf-8',
    extension: 'json',
    head: (m) => `{"version":${m.version},"checksum":"${m.checksum}","signature":${JSON.stringify(m.signature)},"generatedAt":"${m.generatedAt}","entries":[`,
    row: (e, i) => `${i ? ',' : ''}\n${JSON.stringify(publicEntry(e))}`,
    tail: () => '\n]}\n',
  },
  ndjson: {
    contentType: 'application/x-ndjson; charset=utf-8',
    extension: 'ndjson',
    head: (m) => `${JSON.stringify({ version: m.version, checksum: m.checksum, signature: m.signature, generatedAt: m.generatedAt })}\n`,
    row: (e) => `${JSON.stringify(publicEntry(e))}\n`,
    tail: () => '',
  },
  csv: {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    head: () => 'kind,value,status,reasons,org_count\r\n',
    row: (e) => `${[e.kind, e.value, e.status, e.reasons.join('|'), String(e.orgCount)].map(csvField).join(',')}\r\n`,
    tail: () => '',
  },
  txt: {
    contentType: 'text/plain; charset=utf-8',
    extension: 'txt',
    kinds: WEB_KINDS,
    head: (m) => `# Flagline blocklist, version ${m.version}, ${m.generatedAt}\n# domains and hosts, one per line\n`,
    row: (e) => `${e.value}\n`,
    tail: () => '',
  },
  hosts: {
    contentType: 'text/plain; charset=utf-8',
    extension: 'hosts',
    kinds: WEB_KINDS,
    head: (m) => `# Flagline blocklist in hosts format, version ${m.version}, ${m.generatedAt}\n`,
    // A hosts file can only point names somewhere: IP hosts have no place in it.
    row: (e) => (isIp(e.value) ? '' : e.kind === 'domain' ? `0.0.0.0 ${e.value}\n0.0.0.0 www.${e.value}\n` : `0.0.0.0 ${e.value}\n`),
    tail: () => '',
  },
  rpz: {
    contentType: 'text/dns; charset=utf-8',
    extension: 'rpz',
    kinds: WEB_KINDS,
    head: (m) =>
      `; Flagline DNS response policy zone, list version ${m.version}, ${m.generatedAt}\n$TTL 300\n` +
      `@ IN SOA localhost. hostmaster.localhost. ( ${m.version % 2 ** 32} 3600 600 604800 300 )\n@ IN NS localhost.\n`,
    // NXDOMAIN for a domain and everything under it; an IP host becomes an rpz-ip trigger.
    row: (e) =>
      isIp(e.value)
        ? `32.${e.value.split('.').reverse().join('.')}.rpz-ip CNAME .\n`
        : e.kind === 'domain'
          ? `${e.value} CNAME .\n*.${e.value} CNAME .\n`
          : `${e.value} CNAME .\n`,
    tail: () => '',
  },
  stix: stixFormat,
} satisfies Record<string, Format>;

export type FormatName = keyof typeof FORMAT_LIST;
export const FORMATS: Record<FormatName, Format> = FORMAT_LIST;
export const FORMAT_NAMES = Object.keys(FORMATS) as [FormatName, ...FormatName[]];
export { stixIdentity, stixIndicator, stixPattern } from './stix';
