import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { errorBody, onError } from './errors';
import { newApp } from './openapi';
import { renderDocs } from './docs-page';
import { admin } from './routes/admin';
import { flags } from './routes/flags';
import { list } from './routes/list';
import { lookup } from './routes/lookup';
import { meta } from './routes/meta';
import { prefixes } from './routes/prefixes';
import { review } from './routes/review';
import { taxii } from './routes/taxii';

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Flagline',
    version: '1.0.0',
    license: { name: 'Use under the terms of your Flagline membership (no public license)' },
    description:
      'A shared blocklist of "nudify" services (sites and apps that undress photos of real people) for payment processors and app stores. ' +
      'Flagline stores text evidence only: report suspected child sexual abuse material to NCMEC (report.cybertip.org) or the IWF (report.iwf.org.uk).',
  },
} as const;

export function createApp() {
  const app = newApp();
  app.use('*', requestId({ headerName: 'X-Request-Id' }), secureHeaders());
  app.onError(onError);
  app.notFound((c) => c.json(errorBody(c, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}; see /docs.`), 404));

  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer', description: 'An API key: flk_…' });
  for (const routes of [meta, flags, review, list, prefixes, lookup, admin]) app.route('/', routes);

  app.route('/', taxii);

  // The document names the deployment it was fetched from, so generated clients point at it.
  const documentFor = (url: string) => ({ ...OPENAPI_INFO, servers: [{ url: new URL(url).origin, description: 'This Flagline deployment' }] });
  app.doc31('/openapi.json', (c) => documentFor(c.req.url));
  app.get('/docs', (c) => c.html(renderDocs(app.getOpenAPI31Document(documentFor(c.req.url)) as never)));
  app.get('/', (c) => c.redirect('/docs'));
  return app;
}
