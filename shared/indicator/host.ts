import { parse as parseTld } from 'tldts';
import { fail } from './errors';

const TLD_OPTIONS = { allowPrivateDomains: true } as const;

/** Input that can only be meant as an IPv6 address: it opens with a bracket, or has two colons and no scheme. */
const LOOKS_IPV6 = /^\[|^[0-9a-z.]*:[0-9a-z.]*:[0-9a-z:.%]*(\]?:\d+)?$/i;
/** The address inside an IPv6 literal: bare, or bracketed with an optional port; a zone id is dropped. */
const IPV6_LITERAL = /^(?:\[([^\]%]*)(?:%[^\]]*)?\](?::\d+)?|([^[\]%]*)(?:%.*)?)$/;

/** The address part of an input meant as an IPv6 address, or null when the input is not meant as one. */
export function ipv6Address(raw: string): string | null {
  if (!LOOKS_IPV6.test(raw)) return null;
  const match = IPV6_LITERAL.exec(raw);
  const address = match?.[1] ?? match?.[2];
  if (!address) return fail('invalid_host', `"${raw}" is not an IPv6 address.`);
  return address;
}

/**
 * Lower-cases, strips stray dots and turns IDN into punycode, any IPv4 spelling into dotted decimal and any IPv6
 * spelling into its RFC 5952 form without brackets (2001:db8::1). The WHATWG URL parser does all of it exactly as
 * browsers do, so we lean on it: one rule, whether the address came bare, bracketed, in a URL or after host:.
 */
export function canonicalHost(raw: string): string {
  const trimmed = raw
    .trim()
    .replace(/^\.+|\.+$/g, '')
    .replace(/\.{2,}/g, '.');
  if (!trimmed) fail('invalid_host', 'The host name is empty.');
  const bareIPv6 = !trimmed.startsWith('[') && trimmed.split(':').length > 2;
  let host: string;
  try {
    host = new URL(`http://${bareIPv6 ? `[${trimmed}]` : trimmed}/`).hostname;
  } catch {
    return fail('invalid_host', bareIPv6 || trimmed.startsWith('[') ? `"${trimmed}" is not an IPv6 address.` : `"${trimmed}" is not a valid host name.`);
  }
  return host.startsWith('[') ? host.slice(1, -1) : host.replace(/\.$/, '');
}

export const isIPv4 = (host: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
/** A canonical host that is an IPv6 address (canonicalHost leaves colons in nothing else). */
export const isIPv6 = (host: string): boolean => host.includes(':');
export const isIPAddress = (host: string): boolean => isIPv4(host) || isIPv6(host);

/**
 * Loopback, unspecified, unique-local, link-local, multicast and IPv4-mapped IPv6 ranges: never a public service.
 * (The documentation range 2001:db8::/32 stays listable, as TEST-NET IPv4 does: examples and tests use it.)
 */
export function isNonPublicIPv6(host: string): boolean {
  const first = Number.parseInt(host.split(':')[0] || '0', 16);
  return (
    host === '::' || host === '::1' || (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00 || host.startsWith('::ffff:')
  );
}

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

/** A host that may appear in a listing: a public IP address or a name under a known public suffix. */
export function checkPublicHost(host: string): void {
  if (isIPv4(host) || isIPv6(host)) {
    if (isIPv4(host) ? isNonPublicIPv4(host) : isNonPublicIPv6(host)) fail('private_address', `${host} is a private or local address, not a public service.`);
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
  if (isIPAddress(host)) return fail('invalid_domain', `${host} is an IP address; flag it as host:${host}.`);
  return parseTld(host, TLD_OPTIONS).domain as string;
}
