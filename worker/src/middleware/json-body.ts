import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors';
import type { AppEnv } from '../types';

// A data: URL or a long base64 run that opens like PNG, JPEG, GIF or WebP.
const IMAGE_DATA = /data:image\/|(?:iVBORw0KGgo|\/9j\/|R0lGOD[dl]h|UklGR)[A-Za-z0-9+/=]{100,}/;

/**
 * Guards every JSON body before validation: the right Content-Type, a size cap (checked on the bytes
 * actually read, not just Content-Length) and no image data anywhere: Flagline keeps text evidence only.
 */
export const jsonBodyGuard = ({ maxBytes = 1024 * 1024 } = {}): MiddlewareHandler<AppEnv> =>
  async function jsonBodyGuard(c, next) {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
    }
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > maxBytes) throw new ApiError(413, 'payload_too_large', `Bodies are at most ${maxBytes} bytes.`);
    const text = await c.req.text();
    if (new TextEncoder().encode(text).length > maxBytes) throw new ApiError(413, 'payload_too_large', `Bodies are at most ${maxBytes} bytes.`);
    if (IMAGE_DATA.test(text)) {
      throw new ApiError(
        422,
        'image_data_refused',
        'Flagline takes text evidence only; remove the image data. Report suspected child sexual abuse material to NCMEC or the IWF.',
      );
    }
    try {
      JSON.parse(text);
    } catch {
      throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.');
    }
    await next();
  };
