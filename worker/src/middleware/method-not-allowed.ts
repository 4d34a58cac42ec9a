import type { Hono } from 'hono';
import type { AppEnv } from '../types';

/** Hono route patterns (`/v1/admin/orgs/:id/keys`) as regular expressions over a path. */
const patternOf = (path: string) =>
  new RegExp(
    `^${path
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\/:[^/]+/g, '/[^/]+')
      .replace(/\/\*$/, '(/.*)?')}$`,
  );

/**
 * The methods a path answers to, from the app's own routes, so an unmatched request can be told 405
 * with Allow (the path exists, not with this method) rather than 404. GET implies HEAD.
 */
export function allowedMethods(app: Hono<AppEnv>) {
  const routes = app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, pattern: patternOf(r.path) }));
  return (path: string): string[] => {
    const methods = new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
