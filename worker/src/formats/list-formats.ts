import type { ListEntry } from '../../../shared';

/** RFC 4180: quote a field when it holds a comma, quote or line break. */
const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export function toCsv(entries: ListEntry[]): string {
  const lines = entries.map((e) => [e.kind, e.value, e.status, e.reasons.join('|'), String(e.orgCount)].map(csvField).join(','));
  return ['kind,value,status,reasons,org_count', ...lines].join('\r\n') + '\r\n';
}

export function toText(entries: ListEntry[], version: number, checksum: string): string {
  const header = [`# Flagline list, version ${version}`, `# checksum ${checksum}`, '# one kind:value per line'];
  return [...header, ...entries.map((e) => `${e.kind}:${e.value}`)].join('\n') + '\n';
}

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
} as const;
