import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const bin = (name) => `${ROOT}node_modules/.bin/${name}`;

/** Keeps wrangler and miniflare off the network: no telemetry, no update check, no request.cf fetch. */
export const offlineEnv = () => ({
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? `${ROOT}.wrangler/config`,
});
