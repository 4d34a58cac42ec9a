import type { Signal } from '../../shared/api/evidence';
import type { PageEvidence } from './messages';
import { validSignals } from './valid-signals';

/** What the evidence script answers in one frame. */
export interface FrameText {
  frameUrl: string;
  frames: string[];
  title: string;
  canonicalUrl: string | null;
  signals: Signal[];
  links: string[];
}

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * One page's evidence from what each of its frames answered (the top frame first): title and canonical address
 * from the top, signals and links from every frame, and each frame the page holds that answered nothing, by
 * origin, with why: a checkout in a cross-origin frame is read only with the all-sites grant.
 */
export function mergeFrames(
  answers: { frameId: number; result: FrameText | undefined }[],
  allSites: boolean,
): Omit<PageEvidence, 'url' | 'redirectChain'> | null {
  const read = answers.flatMap((a) => (a.result ? [{ ...a, result: a.result }] : [])).sort((a, b) => a.frameId - b.frameId);
  const top = read.find((a) => a.frameId === 0)?.result;
  if (!top) return null;
  const readOrigins = new Set(read.map((a) => originOf(a.result.frameUrl)));
  const unread = new Set(read.flatMap((a) => a.result.frames.map(originOf)).filter((origin): origin is string => !!origin && !readOrigins.has(origin)));
  const reason = allSites
    ? 'the browser did not let Flagline read it (a sandboxed or blocked frame)'
    : 'frames from other sites are read only when Flagline is allowed on all sites (Options)';
  return {
    title: top.title,
    canonicalUrl: top.canonicalUrl,
    // The same id in two frames is one signal.
    signals: validSignals([...new Map(read.flatMap((a) => a.result.signals).map((s) => [`${s.type} ${s.value}`, s])).values()]),
    links: [...new Set(read.flatMap((a) => a.result.links))].slice(0, 1000),
    unreadFrames: [...unread].slice(0, 10).map((origin) => ({ origin, reason })),
  };
}
