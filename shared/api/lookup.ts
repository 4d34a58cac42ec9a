import { z } from 'zod';
import { ParseErrorCode } from '../indicator/errors';
import { IndicatorRef, LookupStatus, orNull, Reason } from './common';

export const MAX_LOOKUP_INPUTS = 10_000;

export const LookupRequest = z
  .object({
    inputs: z
      .array(z.string())
      .min(1)
      .max(MAX_LOOKUP_INPUTS)
      .meta({ description: 'Raw inputs; each one that cannot be read (too long, not an indicator) gets its own error entry, never failing the others.' }),
  })
  .strict()
  .meta({ id: 'LookupRequest', example: { inputs: ['https://nudify-demo.net/app', 'acct_1DemoDemoDemo0001'] } });

export const LookupResult = z
  .object({
    input: z.string(),
    indicator: orNull(IndicatorRef).meta({ description: 'The input as a canonical indicator; null when it cannot be read as one (see error).' }),
    error: z.object({ code: ParseErrorCode, message: z.string() }).nullable(),
    status: LookupStatus,
    reasons: z.array(Reason),
    orgCount: z.number().int(),
    matched: IndicatorRef.nullable().meta({
      description: 'The listed indicator that covers this input, when it is not the input itself (the domain of a URL).',
    }),
    service: z.string().optional().meta({ description: 'The service of the indicator that answered, when it belongs to one.' }),
  })
  .meta({ id: 'LookupResult' });
export type LookupResult = z.infer<typeof LookupResult>;

export const LookupResponse = z.object({ results: z.array(LookupResult) }).meta({ id: 'LookupResponse' });
export type LookupResponse = z.infer<typeof LookupResponse>;

export const LookupQuery = z.object({ q: z.string().min(1).max(2048) });
