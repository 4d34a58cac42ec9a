import { browser } from '#imports';

/** The optional grant that turns on signals, badge and safe view on every site, and redirect chains. */
export const ALL_SITES = { origins: ['<all_urls>'], permissions: ['webRequest'] } as const;

export const WHY_ALL_SITES =
  'Flagline checks each page against its local copy of the list to show the badge and blur images on listed sites. The page ' +
  'address is never sent: only when it matches a 4-byte hash prefix in the list does that prefix go to your Flagline server ' +
  "to confirm. It also reads each page's payment ids, apps and handles, to tell you (locally, the same way) when a page pays into a " +
  'listed service, and the redirect chain that led there; they are sent only when you flag. Allow it on all sites?';

export const hasAllSites = () => browser.permissions.contains({ origins: [...ALL_SITES.origins] });
