import { kindsWhere, type IndicatorKind } from '../indicator/kinds';
import { isIPAddress, isIPv4 } from '../indicator/host';
import type { Format, SnapshotEntry, SnapshotMeta } from './format';
import type { FormatName } from './names';
import { stixFormat } from './stix';

export { formatWriter, type FileState, type Format, type SnapshotEntry, type SnapshotMeta } from './format';
export { FORMAT_NAMES, FORMAT_TABLE, type FormatName } from './names';
export { FILE_SIGNATURE_MARK, fileSignatureText, readFileSignature, verifyFile, type FileCheck } from './file-signature';

/*
 * Every list format, written by one set of functions: the worker streams snapshots with them and the
 * partner CLI writes its local files with them, so a file is the same whichever side made it.
 */

/** Where a file's signature is, for formats whose lines carry no signature of their own. */
const verifyNote = (comment: string, m: SnapshotMeta) =>
  `${comment} Verify: \`flagline verify FILE\`. The last "flagline-file-v1" line signs every byte before it (files from the API);\n` +
  `${comment} Flagline-Signature signs "flagline-list-v1:${m.version}:${m.checksum}". Keys: /.well-known/flagline-keys.json\n`;
/** The signature as a comment line, for line formats whose readers skip comments. */
const commentLine = (comment: string, newline = '\n') => ({ lead: '', line: (text: string) => `${comment} ${text}${newline}` });

/** One CSV cell (RFC 4180 quoting). */
export const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
/**
 * A CSV cell a spreadsheet will not run: text that opens like a formula (=, +, -, @, tab, carriage return) gets a
 * leading ' (OWASP's advice for CSV injection). For files whose cells hold what someone else typed.
 */
export const spreadsheetCell = (value: string) => csvField(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
const publicEntry = ({ kind, value, status, reasons, orgCount, service }: SnapshotEntry) => ({
  kind,
  value,
  status,
  reasons,
  orgCount,
  ...(service ? { service } : {}),
});
const WEB_KINDS: IndicatorKind[] = kindsWhere((kind) => kind.inNameFiles);

const FORMAT_LIST = {
  json: {
    contentType: 'application/json; charset=utf-8',
    extension: 'json',
    head: (m) => `{"version":${m.version},"checksum":"${m.checksum}","signature":${JSON.stringify(m.signature)},"generatedAt":"${m.generatedAt}","entries":[`,
    row: (e, i) => `${i ? ',' : ''}\n${JSON.stringify(publicEntry(e))}`,
    tail: () => '\n]}\n',
    signature: { lead: '\n],\n', line: (text) => `"fileSignature":${JSON.stringify(text)}\n}\n` },
  },
  ndjson: {
    contentType: 'application/x-ndjson; charset=utf-8',
    extension: 'ndjson',
    head: (m) => `${JSON.stringify({ version: m.version, checksum: m.checksum, signature: m.signature, generatedAt: m.generatedAt })}\n`,
    row: (e) => `${JSON.stringify(publicEntry(e))}\n`,
    tail: () => '',
    // Like the head line, the last line is not an entry: it has no `kind`.
    signature: { lead: '', line: (text) => `${JSON.stringify({ fileSignature: text })}\n` },
  },
  csv: {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    // New columns go at the end, so readers that take columns by position keep working.
    head: () => 'kind,value,status,reasons,org_count,service\r\n',
    row: (e) => `${[e.kind, e.value, e.status, e.reasons.join('|'), String(e.orgCount), e.service ?? ''].map(csvField).join(',')}\r\n`,
    tail: () => '',
    // CSV has no comments; no kind starts with #, so readers told comment='#' (pandas, csvkit, …) skip the line.
    signature: commentLine('#', '\r\n'),
  },
  txt: {
    contentType: 'text/plain; charset=utf-8',
    extension: 'txt',
    kinds: WEB_KINDS,
    head: (m) => `# Flagline blocklist, version ${m.version}, ${m.generatedAt}\n# domains and hosts, one per line\n${verifyNote('#', m)}`,
    row: (e) => `${e.value}\n`,
    tail: () => '',
    signature: commentLine('#'),
  },
  hosts: {
    contentType: 'text/plain; charset=utf-8',
    extension: 'hosts',
    kinds: WEB_KINDS,
    head: (m) => `# Flagline blocklist in hosts format, version ${m.version}, ${m.generatedAt}\n${verifyNote('#', m)}`,
    // A hosts file can only point names somewhere: IP hosts have no place in it. Each name gets an IPv6 line
    // too, or a resolver loading the file would still answer AAAA queries for it.
    row: (e) =>
      isIPAddress(e.value) ? '' : (e.kind === 'domain' ? [e.value, `www.${e.value}`] : [e.value]).map((name) => `0.0.0.0 ${name}\n:: ${name}\n`).join(''),
    tail: () => '',
    signature: commentLine('#'),
  },
  rpz: {
    contentType: 'text/dns; charset=utf-8',
    extension: 'rpz',
    kinds: WEB_KINDS,
    head: (m) =>
      `; Flagline DNS response policy zone, list version ${m.version}, ${m.generatedAt}\n$TTL 300\n` +
      `@ IN SOA localhost. hostmaster.localhost. ( ${m.version % 2 ** 32} 3600 600 604800 300 )\n@ IN NS localhost.\n${verifyNote(';', m)}`,
    // NXDOMAIN for a domain and everything under it; an IP host becomes an rpz-ip trigger (IPv6 with its
    // groups reversed and the :: run written as zz, as the RPZ draft spells it).
    row: (e) =>
      isIPv4(e.value)
        ? `32.${e.value.split('.').reverse().join('.')}.rpz-ip CNAME .\n`
        : isIPAddress(e.value)
          ? `128.${e.value.replace('::', ':zz:').split(':').filter(Boolean).reverse().join('.')}.rpz-ip CNAME .\n`
          : e.kind === 'domain'
            ? `${e.value} CNAME .\n*.${e.value} CNAME .\n`
            : `${e.value} CNAME .\n`,
    tail: () => '',
    signature: commentLine(';'),
  },
  stix: stixFormat,
} satisfies Record<FormatName, Format>;

export const FORMATS: Record<FormatName, Format> = FORMAT_LIST;

/** The formats that can hold a kind (all of them when none is given). */
export const formatsHolding = (kind: IndicatorKind): FormatName[] =>
  (Object.keys(FORMATS) as FormatName[]).filter((name) => !FORMATS[name].kinds || FORMATS[name].kinds!.includes(kind));
export { stixIdentity, stixIndicator, stixIndicatorId, stixPattern, stixServiceRelationship } from './stix';
