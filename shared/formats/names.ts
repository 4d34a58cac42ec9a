/**
 * Every list format partners can ask for, with what it holds: the one table the API schema, the worker,
 * the CLI's usage and the docs derive their format names from.
 */
export const FORMAT_TABLE = {
  json: 'every kind, with status, reasons and counts, signed head',
  ndjson: 'every kind, one JSON entry per line after a signed head line',
  csv: 'every kind: kind,value,status,reasons,org_count',
  txt: 'domains and hosts, one per line',
  hosts: 'domains and hosts as a hosts file',
  rpz: 'domains and hosts as a DNS response policy zone (BIND, Unbound, PowerDNS)',
  stix: 'a STIX 2.1 bundle, one indicator per entry',
} as const;

export type FormatName = keyof typeof FORMAT_TABLE;
export const FORMAT_NAMES = Object.keys(FORMAT_TABLE) as [FormatName, ...FormatName[]];
