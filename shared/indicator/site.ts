import { registrableDomain } from './host';
import { KIND_TABLE, type Indicator } from './kinds';

/** The registrable domain an indicator lives on (the kinds table says how), or null: apps, accounts, IP hosts. */
export function siteOf(indicator: Indicator): string | null {
  const how = KIND_TABLE[indicator.kind].site;
  try {
    if (how === 'itself') return indicator.value;
    if (how === 'registrable') return registrableDomain(indicator.value);
    if (how === 'url') return registrableDomain(new URL(indicator.value).hostname);
  } catch {
    // an IP address has no registrable domain
  }
  return null;
}
