import { parse as parseTld } from 'tldts';
import { fail } from './errors';

const TLD_OPTIONS = { allowPrivateDomains: true } as const;

/**
 * Lower-cases, strips stray dots and turns IDN into punycode and any IPv4 spelling into dotted decimal.
 * The WHATWG URL parser does the last two exactly as browsers do, so we lean on it.
 */
export function canonicalHost(raw: string): string {
  const trimmed = raw
    .trim()
    .replace(/^\.+|\.+$/g, '')
    .replace(/\.{2,}/g, '.');
  if (!trimmed) fail('invalid_host', 'The host name is empty.');
  let host: string;
  try {
    host = new URL(`http://${trimmed}/`).hostname;
  } catch {
    return fail('invalid_host', `"${trimmed}" is not a valid host name.`);
  }
  const result = host.replace(/\.$/, '');
  if (result.startsWith('[')) fail('invalid_host', 'IPv6 addresses are not supported; flag the domain or URL.');
  return result;
}

export const isIPv4 = (host: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(host);

/** Loopback, private, link-local, CGNAT and unspecified ranges: never a service anyone else can reach. */
export function isNonPublicIPv4(host: string): boolean {
  const [a, b] = host.split('.').map(Number) as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

/** A host that may appear in a listing: a public IPv4 address or a name under a known public suffix. */
export function checkPublicHost(host: string): void {
  if (isIPv4(host)) {
    if (isNonPublicIPv4(host)) fail('private_address', `${host} is a private or local address, not a public service.`);
    return;
  }
  const info = parseTld(host, TLD_OPTIONS);
  if (!info.hostname) fail('invalid_host', `"${host}" is not a valid host name.`);
  if (!info.isIcann && !info.isPrivate) {
    fail('invalid_domain', `"${host}" does not end in a known public suffix (top-level domain).`);
  }
  if (!info.domain) fail('invalid_domain', `"${host}" is a public suffix itself; name a domain registered under it.`);
}

/** eTLD+1 by the public suffix list, private suffixes included (x.vercel.app is its own registrable domain). */
export function registrableDomain(host: string): string {
  checkPublicHost(host);
  if (isIPv4(host)) return fail('invalid_domain', `${host} is an IP address; flag it as host:${host}.`);
  return parseTld(host, TLD_OPTIONS).domain as string;
}
