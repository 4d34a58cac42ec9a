import { hex } from '@scure/base';
import { sha1 } from '@noble/hashes/legacy.js';
import { isIPv4, isIPv6 } from '../indicator/host';
import type { IndicatorKind } from '../indicator/kinds';
import { isDisputed } from '../list-rules';
import type { Format, SnapshotEntry, SnapshotMeta } from './format';

// Flagline's fixed STIX identity; indicator ids are name-based (see nameBasedUuid below), so they need no namespace constant.
export const FLAGLINE_IDENTITY = 'identity--0b7e4c1e-6f1d-4d43-9a55-7f3c1e2d9a10';

/** STIX patterning: string literals are quoted with ' and escape \ and '. */
const literal = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

export function stixPattern({ kind, value }: { kind: IndicatorKind; value: string }): string {
  switch (kind) {
    case 'domain':
      return `[domain-name:value = ${literal(value)}]`;
    case 'host':
      if (isIPv4(value)) return `[ipv4-addr:value = ${literal(`${value}/32`)}]`;
      return isIPv6(value) ? `[ipv6-addr:value = ${literal(`${value}/128`)}]` : `[domain-name:value = ${literal(value)}]`;
    case 'url':
      return `[url:value = ${literal(value)}]`;
    case 'handle': {
      const [platform, name] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
      return `[user-account:account_type = ${literal(platform)} AND user-account:account_login = ${literal(name)}]`;
    }
    case 'app':
    case 'merchant':
    case 'wallet':
      // No STIX 2.1 observable of their own: custom x- objects.
      return `[x-flagline-${kind}:value = ${literal(value)}]`;
    default:
      return kind satisfies never;
  }
}

/** A name-based UUID (v5-style, SHA-1): the same name always gives the same id. */
function nameBasedUuid(name: string): string {
  const hash = sha1(new TextEncoder().encode(`flagline:${name}`));
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hex.encode(hash.slice(0, 16));
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A stable indicator id per kind:value, so a consumer's copy updates in place across pulls. */
export const stixIndicatorId = (kind: string, value: string): string => `indicator--${nameBasedUuid(`${kind}:${value}`)}`;

/** STIX timestamps are RFC 3339 in UTC with milliseconds. */
const stamp = (iso: string) => new Date(iso).toISOString();

export async function stixIndicator(entry: SnapshotEntry, generatedAt = new Date().toISOString()) {
  const created = entry.createdAt ?? generatedAt;
  const modified = entry.updatedAt ?? created;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: stixIndicatorId(entry.kind, entry.value),
    created_by_ref: FLAGLINE_IDENTITY,
    created: stamp(created),
    modified: stamp(modified),
    name: `${entry.kind} ${entry.value}`,
    indicator_types: ['malicious-activity'],
    pattern: stixPattern(entry),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: stamp(created),
    labels: entry.reasons.length ? entry.reasons : ['flagline'],
    confidence: isDisputed(entry.status) ? 50 : 90,
    x_flagline_value: entry.value,
    x_flagline_status: entry.status,
    x_flagline_org_count: entry.orgCount,
    ...(entry.service ? { x_flagline_service: entry.service } : {}),
  };
}

export const stixIdentity = (createdAt = '2026-01-01T00:00:00.000Z') => ({
  type: 'identity',
  spec_version: '2.1',
  id: FLAGLINE_IDENTITY,
  created: createdAt,
  modified: createdAt,
  name: 'Flagline',
  identity_class: 'organization',
  description: 'Shared blocklist of nudify services for payment processors and app stores.',
});

/**
 * Ties an indicator to the first indicator of its service in the file: one `related-to` relationship per
 * further member. Relationships, not a grouping: the OASIS bundle schema admits no grouping (a strict
 * validator would refuse the whole bundle), and a relationship goes out with its indicator, so the file
 * streams holding one id per service.
 */
export function stixServiceRelationship(service: string, member: SnapshotEntry, anchor: string, generatedAt = new Date().toISOString()) {
  const source = stixIndicatorId(member.kind, member.value);
  const created = member.createdAt ?? generatedAt;
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--${nameBasedUuid(`service:${service}:${source}`)}`,
    created_by_ref: FLAGLINE_IDENTITY,
    created: stamp(created),
    modified: stamp(member.updatedAt ?? created),
    relationship_type: 'related-to',
    source_ref: source,
    target_ref: anchor,
    description: `Both are indicators of one nudify service (Flagline service ${service}).`,
    x_flagline_service: service,
  };
}

export const stixFormat: Format = {
  contentType: 'application/stix+json;version=2.1',
  extension: 'stix.json',
  // A bundle takes no properties beyond type, id and objects; version and list signature travel in the headers.
  // Its id is derived from the snapshot, so writing the same snapshot twice gives the same bytes.
  head: (m: SnapshotMeta) =>
    `{"type":"bundle","id":"bundle--${nameBasedUuid(`bundle:${m.version}:${m.checksum}:${m.generatedAt}`)}","objects":[\n${JSON.stringify(stixIdentity())}`,
  row: async (entry, _index, file) => {
    const indicator = `,\n${JSON.stringify(await stixIndicator(entry))}`;
    if (!entry.service) return indicator;
    const anchor = file.services.get(entry.service);
    if (!anchor) {
      file.services.set(entry.service, stixIndicatorId(entry.kind, entry.value));
      return indicator;
    }
    return `${indicator},\n${JSON.stringify(stixServiceRelationship(entry.service, entry, anchor))}`;
  },
  tail: () => '\n]}\n',
  // A bundle holds nothing but objects: the signature is the last one, a custom object readers skip by its type
  // (shaped like a custom observable, without created/modified: the OASIS schema admits a custom object matching
  // exactly one of its two cores).
  signature: {
    lead: ',\n',
    line: (text, m) =>
      `${JSON.stringify({
        type: 'x-flagline-file-signature',
        spec_version: '2.1',
        id: `x-flagline-file-signature--${nameBasedUuid(`file-signature:${m.version}:${m.checksum}`)}`,
        signature: text,
      })}\n]}\n`,
  },
};
