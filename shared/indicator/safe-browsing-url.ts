import { fail } from './errors';

/*
 * URL canonicalization as Google Safe Browsing specifies it (v4 "Canonicalization"), so a URL listed here
 * compares equal to the same URL listed anywhere else that follows the spec. Works on byte strings
 * (one char per byte) because percent-unescaping yields bytes, not text.
 */

function unescapeOnce(bytes: string): string {
  return bytes.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function unescapeFully(bytes: string): string {
  // Each pass shortens the string, so this ends.
  for (let next = unescapeOnce(bytes); next !== bytes; next = unescapeOnce(bytes)) bytes = next;
  return bytes;
}

function escapeBytes(bytes: string): string {
  let out = '';
  for (const ch of bytes) {
    const code = ch.charCodeAt(0);
    out += code <= 0x20 || code >= 0x7f || ch === '#' || ch === '%' ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

const toByteString = (text: string): string => Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join('');

function decodeUtf8(bytes: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

function canonicalSbHost(rawHost: string): string {
  let host = unescapeFully(rawHost)
    .replace(/^\.+|\.+$/g, '')
    .replace(/\.{2,}/g, '.');
  host = host.replace(/[A-Z]/g, (c) => c.toLowerCase()); // ASCII only: these are bytes, not text
  // Hosts the WHATWG parser accepts get its IPv4 and IDN normalization; odd bytes are kept and escaped.
  const text = decodeUtf8(host);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Safe Browsing escapes control characters in hosts
  if (text !== null && !/[\x00-\x20%#/?@\\]/.test(text)) {
    try {
      host = new URL(`http://${text}/`).hostname.replace(/\.$/, '');
    } catch {
      /* not a host the URL parser takes: keep the bytes */
    }
  }
  return escapeBytes(host);
}

function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/').slice(1);
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '..') {
      out.pop();
      if (last) out.push('');
    } else if (segment === '.') {
      if (last) out.push('');
    } else if (segment !== '' || last) {
      out.push(segment); // empty segments are runs of slashes, collapsed
    }
  });
  return `/${out.join('/')}`;
}

/** Accepts byte strings (one char per byte) for tests that mirror the spec's raw-byte examples. */
export function canonicalizeUrlBytes(input: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the spec strips leading and trailing control characters
  let url = input.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\r\n]/g, '');
  if (!url) return fail('invalid_url', 'The URL is empty.');
  const hash = url.indexOf('#');
  if (hash >= 0) url = url.slice(0, hash);
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url);
  const scheme = schemeMatch ? schemeMatch[1]!.toLowerCase() : 'http';
  if (scheme !== 'http' && scheme !== 'https') fail('invalid_url', `Only http and https URLs can be listed, not ${scheme}:.`);
  const rest = schemeMatch ? url.slice(schemeMatch[0].length) : url;

  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const pathAndQuery = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const host = canonicalSbHost(hostPort.replace(/:\d*$/, ''));
  if (!host) fail('invalid_url', 'The URL has no host.');

  const queryStart = pathAndQuery.indexOf('?');
  const rawPath = queryStart < 0 ? pathAndQuery : pathAndQuery.slice(0, queryStart);
  const query = queryStart < 0 ? null : pathAndQuery.slice(queryStart + 1);
  const path = removeDotSegments(unescapeFully(rawPath.startsWith('/') ? rawPath : `/${rawPath}`));

  return `${scheme}://${host}${escapeBytes(path)}${query === null ? '' : `?${escapeBytes(unescapeFully(query))}`}`;
}

/** Canonical form of a URL someone typed or pasted (text, UTF-8 encoded before escaping). */
export const canonicalizeUrl = (input: string): string => canonicalizeUrlBytes(toByteString(input));
