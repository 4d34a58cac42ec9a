import { secureHeaders } from 'hono/secure-headers';
import { errorBody, onError } from './errors';
import { excerpt } from '../../shared';
import { allowedMethods } from './middleware/method-not-allowed';
import { byClient, rateLimit } from './middleware/rate-limit';
import { serverRequestId } from './middleware/request-id';
import { newApp } from './openapi';
import { renderDocs } from './pages/docs';
import { admin } from './routes/admin';
import { disputes } from './routes/disputes';
import { flags } from './routes/flags';
import { list } from './routes/list';
import { lookup } from './routes/lookup';
import { meta } from './routes/meta';
import { prefixes } from './routes/prefixes';
import { review } from './routes/review';
import { services } from './routes/services';
import { taxii } from './routes/taxii';

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Flagline',
    version: '1.1.0',
    license: { name: 'Use under the terms of your Flagline membership (no public license)' },
    description:
      'A shared blocklist of "nudify" services (sites and apps that undress photos of real people) for payment processors and app stores. ' +
      'Flagline stores text evidence only: report suspected child sexual abuse material to NCMEC (report.cybertip.org) or the IWF (report.iwf.org.uk). ' +
      '1.1.0 (2026-12-04): an appeal or a member’s dispute opens a case for the operator’s reviewers and no longer marks a listing disputed; see docs/api-changes.md.',
  },
} as const;

export function createApp() {
  const app = newApp();
  // Security headers on every answer; an API answer is never a page, so it may load and frame nothing.
  app.use('*', serverRequestId(), secureHeaders({ overwrite: false, contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }));
  app.onError(onError);
  let allowed: ((path: string) => string[]) | null = null;
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    allowed ??= allowedMethods(app);
    const methods = allowed(path);
    if (methods.length) {
      c.header('Allow', methods.join(', '));
      return c.json(errorBody(c, 'method_not_allowed', `${excerpt(path)} answers ${methods.join(', ')}, not ${excerpt(c.req.method, 10)}.`), 405);
    }
    return c.json(errorBody(c, 'not_found', `No route for ${excerpt(c.req.method, 10)} ${excerpt(path)}; see /docs.`), 404);
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer', description: 'An API key: flk_…' });
  for (const routes of [meta, flags, review, services, list, prefixes, lookup, admin, disputes]) app.route('/', routes);

  app.route('/', taxii);

  // The document names the deployment it was fetched from, so generated clients point at it.
  const documentFor = (url: string) => ({ ...OPENAPI_INFO, servers: [{ url: new URL(url).origin, description: 'This Flagline deployment' }] });
  // Public routes count per client address (/health stays free: it is what monitors poll).
  app.use('/openapi.json', rateLimit('PUBLIC_LIMIT', byClient));
  app.use('/docs', rateLimit('PUBLIC_LIMIT', byClient));
  app.doc31('/openapi.json', (c) => documentFor(c.req.url));
  app.get('/docs', (c) => {
    // The reference page has no scripts and loads nothing: inline styles only.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    return c.html(renderDocs(app.getOpenAPI31Document(documentFor(c.req.url)) as never));
  });
  app.get('/', (c) => c.redirect('/docs'));
  return app;
}
