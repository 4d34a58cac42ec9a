import { z } from 'zod';
import { IndicatorKind } from '../indicator/kinds';
import { orNull, Reason, Role, Status } from './common';
import { Evidence } from './flags';

/** API keys: `flk_` + 32 random bytes in base64url; recognizable in logs and by secret scanners. */
export const API_KEY_PATTERN = /^flk_[A-Za-z0-9_-]{43}$/;

export const OrgKind = z.enum(['payment_processor', 'app_store', 'platform', 'ngo', 'operator', 'other']).meta({ id: 'OrgKind' });

export const CreateOrgRequest = z
  .object({ name: z.string().trim().min(2).max(120), kind: OrgKind })
  .meta({ id: 'CreateOrgRequest', example: { name: 'Demo Payments', kind: 'payment_processor' } });

export const Org = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: OrgKind,
    createdAt: z.string(),
    suspendedAt: z.string().nullable().meta({ description: 'When an operator admin suspended it: its keys stop working and its flags stop counting.' }),
  })
  .meta({ id: 'Org' });
export type Org = z.infer<typeof Org>;

export const CreateKeyRequest = z
  .object({ role: Role, label: z.string().trim().min(1).max(120) })
  .meta({ id: 'CreateKeyRequest', example: { role: 'analyst', label: 'Risk team laptop' } });

export const ApiKeyInfo = z
  .object({
    id: z.string(),
    orgId: z.string(),
    role: Role,
    label: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, to recognize it; the key itself is never stored.' }),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKeyInfo' });
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export const CreatedKey = ApiKeyInfo.extend({
  key: z.string().meta({ description: 'The secret, shown this once. Send it as "Authorization: Bearer <key>".' }),
}).meta({ id: 'CreatedKey' });
export type CreatedKey = z.infer<typeof CreatedKey>;

/** An operator admin's suspension or reinstatement, with how many indicators were counted again. */
export const OrgStatusChange = Org.extend({
  indicatorsRecounted: z.number().int().nonnegative().meta({ description: 'Indicators whose flags were counted again because of this change.' }),
}).meta({ id: 'OrgStatusChange' });
export type OrgStatusChange = z.infer<typeof OrgStatusChange>;

export const OrgFigures = z
  .object({
    orgId: z.string(),
    flags: z
      .object({
        listed: z.number().int().meta({ description: 'Live flags on listed indicators.' }),
        disputed: z.number().int().meta({ description: 'Live flags on listed indicators under an open appeal.' }),
        pending: z.number().int().meta({ description: 'Live flags on reported indicators, waiting for corroboration or a reviewer.' }),
        rejected: z.number().int().meta({ description: "Flags a reviewer's rejection or delisting retired." }),
        withdrawn: z.number().int().meta({ description: 'Flags the organization withdrew as mistakes.' }),
        expired: z.number().int().meta({ description: 'Live flags on listings that expired without new flags or reviews.' }),
      })
      .meta({ description: "The organization's flags by what became of them." }),
    confirmedShare: z.number().nullable().meta({
      description: 'Of its flags that reached a decision (listed, disputed or rejected), the share the list stands behind; null before any did.',
    }),
  })
  .meta({ id: 'OrgFigures' });
export type OrgFigures = z.infer<typeof OrgFigures>;

export const KeyList = z.object({ keys: z.array(ApiKeyInfo) }).meta({ id: 'KeyList' });
export type KeyList = z.infer<typeof KeyList>;
export const OrgList = z.object({ orgs: z.array(Org) }).meta({ id: 'OrgList' });
export type OrgList = z.infer<typeof OrgList>;

export const WhoAmI = z
  .object({
    org: Org,
    key: ApiKeyInfo.pick({ id: true, role: true, label: true, prefix: true }),
    operator: z
      .boolean()
      .meta({ description: "Whether the key belongs to the deployment's operator organization, whose reviewers and admins act for everyone." }),
  })
  .meta({ id: 'WhoAmI' });
export type WhoAmI = z.infer<typeof WhoAmI>;

export const AuditEvent = z
  .object({
    id: z.number().int(),
    at: z.string(),
    action: z.string(),
    actorOrgId: z.string().nullable(),
    actorKeyId: z.string().nullable(),
    subjectType: z.string(),
    subjectId: z.string(),
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Rows at or after this time (ISO 8601).' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Rows before this time (ISO 8601).' }),
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)?\.?$/, 'An action (flag.created) or a family ending in a dot (indicator.).')
    .optional()
    .meta({ description: 'One action, e.g. indicator.delist, or a family ending in a dot, e.g. "dispute.".' }),
  org: z
    .string()
    .max(64)
    .optional()
    .meta({ description: 'Rows an organization acted in or that concern it (operator admins; a member admin always reads its own).' }),
  format: z
    .enum(['json', 'csv', 'ndjson'])
    .default('json')
    .meta({ description: 'json pages with next/more; csv and ndjson carry them in Flagline-Next and Flagline-More headers.' }),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** The audit export's CSV columns, in order. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'action',
  'actorOrgId',
  'actorKeyId',
  'subjectType',
  'subjectId',
  'fromStatus',
  'toStatus',
  'reason',
  'details',
] as const;
export const AuditPage = z.object({ events: z.array(AuditEvent), next: z.number().int(), more: z.boolean() }).meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPage>;

/** Who flagged an indicator, with their evidence: admins only (a member's admin sees its own organization's flags). */
export const IndicatorFlags = z
  .object({
    indicator: z.object({ id: z.string(), kind: IndicatorKind, value: z.string(), status: Status }),
    flags: z.array(
      z.object({
        id: z.string(),
        orgId: z.string(),
        orgName: z.string(),
        keyId: z.string(),
        target: z.string(),
        reason: Reason,
        note: z.string().nullable(),
        evidence: orNull(Evidence),
        live: z.boolean(),
        createdAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'IndicatorFlags' });
export type IndicatorFlags = z.infer<typeof IndicatorFlags>;
