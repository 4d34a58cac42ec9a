import { createApp } from './app';
import { pruneExpired } from './services/retention';

export { ListWriter } from './services/list-writer';

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(pruneExpired(env));
  },
} satisfies ExportedHandler<Env>;
