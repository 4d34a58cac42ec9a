import { defineConfig } from 'wxt';

/** The API the extension talks to by default; its origin is the one host permission asked at install. */
const DEFAULT_API = process.env.FLAGLINE_API ?? 'http://127.0.0.1:8787';
const apiOrigin = new URL(DEFAULT_API);
const LOOPBACK = new Set(['127.0.0.1', 'localhost']);
const LOOPBACK_PATTERNS = ['http://127.0.0.1/*', 'http://localhost/*'];

export default defineConfig({
  srcDir: 'extension',
  // Static files (the toolbar icons, drawn by scripts/make-icons.mjs) live with the extension's source.
  publicDir: 'extension/public',
  modules: ['@wxt-dev/webextension-polyfill'],
  webExt: { disabled: true },
  vite: () => ({
    define: { __FLAGLINE_DEFAULT_API__: JSON.stringify(DEFAULT_API), __FLAGLINE_WORKBENCH__: JSON.stringify(process.env.FLAGLINE_WORKBENCH ?? '') },
  }),
  manifest: ({ browser }) => ({
    name: 'Flagline',
    description: 'Flag nudify services in one click, with text evidence only, for your trust & safety team.',
    permissions: ['storage', 'alarms', 'contextMenus', 'activeTab', 'scripting'],
    // No port in the pattern: it covers the API on any port (Chrome ignores ports in patterns; Firefox honours a
    // portless one for every port). A local API is granted under both names of this computer.
    host_permissions: [...new Set([`${apiOrigin.protocol}//${apiOrigin.hostname}/*`, ...(LOOPBACK.has(apiOrigin.hostname) ? LOOPBACK_PATTERNS : [])])],
    // Asked for on the options page, with a sentence saying why: signals, badge and safe view on every site,
    // and the redirect chain that led to a page.
    optional_host_permissions: ['<all_urls>'],
    optional_permissions: ['webRequest'],
    action: { default_title: 'Flagline: flag this service' },
    commands: {
      'flag-current-tab': {
        suggested_key: { default: 'Alt+Shift+F' },
        description: 'Flag the current tab with the suggested reason',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'extension@flagline.dev',
              strict_min_version: '142.0',
              // Flags carry what the analyst chose to send to their own organization's Flagline API.
              data_collection_permissions: { required: ['websiteContent', 'websiteActivity'] },
            },
          },
        }
      : {}),
  }),
});
