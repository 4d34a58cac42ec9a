/**
 * The bucket a public limit counts a client in: its IPv4 address, or the /64 of its IPv6 address (one
 * subscriber's network: counting whole IPv6 addresses would give an appellant 2^64 buckets). The address is
 * Cloudflare's own `CF-Connecting-IP`, which Cloudflare sets on every request in production; `wrangler dev`
 * passes whatever the client sent (README, abuse limits).
 */
export function clientBucket(address: string | undefined): string {
  const ip = address?.trim() ?? '';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return `ip4:${ip}`;
  const groups = ipv6Groups(ip);
  if (!groups) return 'unknown';
  // An IPv4-mapped address is that IPv4 address.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `ip4:${[groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.')}`;
  }
  return `ip6:${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail read), or null. */
function ipv6Groups(ip: string): number[] | null {
  const text = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!/^[0-9a-f:.]+$/i.test(text) || text.split('::').length > 2) return null;
  const tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  const hex = tail ? `${text.slice(0, tail.index)}${((+tail[1]! << 8) | +tail[2]!).toString(16)}:${((+tail[3]! << 8) | +tail[4]!).toString(16)}` : text;
  const [head, rest] = hex.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':') : []);
  const left = part(head);
  const right = part(rest);
  const missing = 8 - left.length - right.length;
  if (rest === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.map((g) => Number.parseInt(g, 16));
}
