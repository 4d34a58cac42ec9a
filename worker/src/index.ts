import { env } from 'cloudflare:workers';
import { createApp } from './app';
import { config } from './config';
import { pruneExpired } from './services/retention';

export { ListWriter } from './services/list-writer';

// A bad value in wrangler.jsonc stops the worker at start with the reason, not on some later request.
config(env);

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(pruneExpired(env));
  },
} satisfies ExportedHandler<Env>;
