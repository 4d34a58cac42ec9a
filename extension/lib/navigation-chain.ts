/** A tab's last top-level navigation: where it started and each redirect hop, under the request id they share. */
export interface Navigation {
  requestId: string;
  url: string;
  hops: [from: string, to: string][];
}

/** A request starts a navigation, unless it is a redirect's next request (same request id): that one is recorded. */
export const afterRequest = (nav: Navigation | undefined, request: { requestId: string; url: string }): Navigation =>
  nav?.requestId === request.requestId ? nav : { requestId: request.requestId, url: request.url, hops: [] };

/** A redirect adds its hop to its navigation, whatever arrived before it. */
export function afterRedirect(nav: Navigation | undefined, redirect: { requestId: string; url: string; redirectUrl: string }): Navigation {
  const current = nav?.requestId === redirect.requestId ? nav : { requestId: redirect.requestId, url: redirect.url, hops: [] };
  if (current.hops.some(([from, to]) => from === redirect.url && to === redirect.redirectUrl)) return current;
  return { ...current, hops: [...current.hops, [redirect.url, redirect.redirectUrl] as [string, string]].slice(-20) };
}

/** The hops in order: from the one address no hop led to, along the hops; at most 21 addresses. */
export function chainOf(nav: Navigation): string[] {
  const targets = new Set(nav.hops.map(([, to]) => to));
  const chain = [nav.hops.find(([from]) => !targets.has(from))?.[0] ?? nav.url];
  while (chain.length <= 20) {
    const next = nav.hops.find(([from]) => from === chain.at(-1));
    if (!next || chain.includes(next[1])) break;
    chain.push(next[1]);
  }
  return chain;
}
