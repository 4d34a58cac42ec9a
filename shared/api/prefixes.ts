import { z } from 'zod';
import { IndicatorKind } from '../indicator/kinds';
import { SignatureSchema } from '../signed-statements';
import { Reason, Status } from './common';

export const PrefixSetResponse = z
  .object({
    version: z.number().int().nonnegative(),
    encoding: z.literal('rice'),
    riceParameter: z.number().int().min(0).max(28),
    firstValue: z.number().int().nonnegative().meta({ description: 'The smallest prefix, as a big-endian 32-bit integer.' }),
    entriesCount: z.number().int().nonnegative().meta({ description: 'How many gaps follow firstValue (the deltas only, as Safe Browsing counts them).' }),
    entryCount: z.number().int().nonnegative().meta({ description: 'How many prefixes the set holds in all (0 for an empty list).' }),
    encodedData: z.string().meta({
      description:
        'Base64 Rice-Golomb coded gaps: with firstValue, riceParameter and entriesCount, exactly a Safe Browsing v5 RiceDeltaEncoded32Bit. ' +
        'The values are the first 4 bytes of SHA-256("kind:value") of every listed indicator, read big-endian, sorted and distinct.',
    }),
    checksum: z.string().meta({ description: 'SHA-256 of the sorted prefixes as 4-byte big-endian values.' }),
    signature: SignatureSchema.meta({ description: 'Signs "flagline-prefixes-v1:{version}:{checksum}".' }),
  })
  .meta({ id: 'PrefixSet' });
export type PrefixSetResponse = z.infer<typeof PrefixSetResponse>;

export const FullHashRequest = z
  .object({
    prefixes: z
      .array(z.string().regex(/^[0-9a-f]{8}$/))
      .min(1)
      .max(1000),
  })
  .strict()
  .meta({ id: 'FullHashRequest', example: { prefixes: ['1a2b3c4d'] } });

export const FullHashResponse = z
  .object({
    matches: z.array(
      z.object({
        prefix: z.string(),
        hash: z.string().meta({ description: 'Full SHA-256 of "kind:value", hex.' }),
        kind: IndicatorKind,
        value: z.string(),
        status: Status,
        reasons: z.array(Reason),
        orgCount: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'FullHashResponse' });
export type FullHashResponse = z.infer<typeof FullHashResponse>;
