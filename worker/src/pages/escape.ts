import { escapeToBuffer } from 'hono/utils/html';

/** Text made safe for an HTML page, by Hono's own escaping (the one the `html` helper uses). */
export function escapeHtml(text: string): string {
  const buffer = [''];
  escapeToBuffer(text, buffer);
  return buffer[0] as string;
}
