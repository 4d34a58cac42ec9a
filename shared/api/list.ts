import { z } from 'zod';
import { IndicatorKind } from '../indicator/kinds';
import { FORMAT_NAMES, FORMAT_TABLE } from '../formats/names';
import { SignatureSchema } from '../signed-statements';
import { IndicatorSummary, Reason, Status } from './common';

export const ListEntry = IndicatorSummary.meta({ id: 'ListEntry' });
export type ListEntry = z.infer<typeof ListEntry>;

export const ListFormat = z.enum(FORMAT_NAMES).meta({
  description: Object.entries(FORMAT_TABLE)
    .map(([name, holds]) => `${name}: ${holds}.`)
    .join(' '),
});
export const ListQuery = z.object({
  format: ListFormat.default('json'),
  kind: IndicatorKind.optional(),
  reason: Reason.optional(),
});

export const ListResponse = z
  .object({
    version: z.number().int().nonnegative(),
    checksum: z.string().meta({ description: 'List checksum at this version: see /docs#checksum.' }),
    signature: SignatureSchema,
    generatedAt: z
      .string()
      .meta({ description: 'When the list reached this version (not when this copy was written), so a rebuilt snapshot has the same bytes.' }),
    entries: z.array(ListEntry),
    fileSignature: z
      .string()
      .optional()
      .meta({
        description:
          'The file\'s own signature (every file the API serves has one; a file `flagline sync` writes has none): "flagline-file-v1 format=json version=V keyid=K sig=S", ' +
          'S signing "flagline-file-v1:json:V:{sha256 of every byte before this member\'s line}". Verify with `flagline verify FILE`.',
      }),
  })
  .meta({ id: 'ListResponse' });
export type ListResponse = z.infer<typeof ListResponse>;

export const ChangeOp = z.enum(['upsert', 'remove']);
export const Change = z
  .object({
    version: z.number().int().positive(),
    op: ChangeOp,
    kind: IndicatorKind,
    value: z.string(),
    status: Status.nullable().meta({ description: 'null on remove (a tombstone).' }),
    reasons: z.array(Reason),
    orgCount: z.number().int(),
    service: z.string().optional().meta({ description: 'The service of an upsert, when it belongs to one. Informational: not part of changesStatement.' }),
  })
  .meta({ id: 'Change' });
export type Change = z.infer<typeof Change>;

export const ChangesQuery = z.object({
  since: z.coerce
    .number({ error: 'since is required: the version your copy is at (0 when you have none).' })
    .int()
    .nonnegative()
    .meta({ param: { required: true }, description: 'The version your copy is at (0 when you have none). Required.' }),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export const ChangesResponse = z
  .object({
    changes: z.array(Change),
    next: z.number().int().meta({ description: 'Pass as `since` for the next page or poll.' }),
    more: z.boolean(),
    checksum: z.string().meta({ description: 'Checksum of the list after applying this page.' }),
    signature: SignatureSchema.meta({ description: 'Signs listStatement(next, checksum).' }),
    changesSignature: SignatureSchema.meta({ description: 'Signs changesStatement(since, next, changes).' }),
    pollAfterSeconds: z.number().int(),
  })
  .meta({ id: 'ChangesResponse' });
export type ChangesResponse = z.infer<typeof ChangesResponse>;

/** format=stix: a STIX 2.1 bundle (indicators, the Flagline identity, related-to relationships within a service). */
export const StixBundle = z
  .object({
    type: z.literal('bundle'),
    id: z.string().meta({ description: 'bundle--<uuid>' }),
    objects: z.array(z.looseObject({ type: z.string(), id: z.string(), spec_version: z.string().optional() })),
  })
  .meta({ id: 'StixBundle' });
