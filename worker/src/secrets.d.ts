// Secrets are not in wrangler.jsonc, so `wrangler types` cannot see them: declared here.
declare namespace Cloudflare {
  interface Env {
    /** Ed25519 private key as a JWK (JSON), from `wrangler secret put SIGNING_KEY` or .dev.vars locally. */
    SIGNING_KEY?: string;
  }
}
