/** Small helpers shared by the data-access modules. */
export const now = (): string => new Date().toISOString();

export const newId = (prefix: string): string => `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;

export const parseJson = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
