import { ON_LIST } from '../../../shared';

/** Small helpers shared by the data-access modules. */
export const now = (): string => new Date().toISOString();

export const newId = (prefix: string): string => `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;

export const parseJson = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** The list rules' on-list statuses as an SQL list, e.g. `status IN ${ON_LIST_SQL}` (a constant, so plans keep their index). */
export const ON_LIST_SQL = `(${ON_LIST.map((status) => `'${status}'`).join(', ')})`;
