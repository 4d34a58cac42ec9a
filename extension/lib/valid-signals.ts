import { Signal } from '../../shared';
import { type PageText, signalCandidates } from './signals';

/** Only what the contract takes as that kind of signal, at most 50: what the popup shows is what can be sent. */
export const validSignals = (candidates: readonly Signal[]): Signal[] => candidates.filter((signal) => Signal.safeParse(signal).success).slice(0, 50);

/** A page's signals as the contract takes them: the candidates the evidence script read, checked. */
export const extractSignals = (page: PageText): Signal[] => validSignals(signalCandidates(page));
