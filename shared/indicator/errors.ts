import { z } from 'zod';

export const ParseErrorCode = z.enum([
  'empty_input',
  'input_too_long',
  'unsupported_input',
  'invalid_domain',
  'invalid_host',
  'invalid_url',
  'private_address',
  'shared_platform',
  'invalid_app',
  'invalid_merchant',
  'invalid_wallet',
  'invalid_handle',
]);
export type ParseErrorCode = z.infer<typeof ParseErrorCode>;

/** The only error parseIndicator throws: a code for machines and a sentence that says why and what to do. */
export class IndicatorParseError extends Error {
  override readonly name = 'IndicatorParseError';
  constructor(
    readonly code: ParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const fail = (code: ParseErrorCode, message: string): never => {
  throw new IndicatorParseError(code, message);
};

/** At most `max` characters of someone's input, for messages that quote it (never the whole of a long input). */
export const excerpt = (text: string, max = 60): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
