import { AUDIT_CSV_COLUMNS, spreadsheetCell, type AuditEvent } from '../../../shared';

/**
 * A cell a spreadsheet will not run: reasons and details are typed by members, and a cell opening with = + - @
 * (or a tab or carriage return) is a formula to Excel and its kin, so it gets a leading apostrophe.
 */
const safeCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return spreadsheetCell(text);
};

/** One page as a CSV file of its own, header row included. */
export const auditCsv = (events: AuditEvent[]): string =>
  `${AUDIT_CSV_COLUMNS.join(',')}\r\n${events.map((e) => `${AUDIT_CSV_COLUMNS.map((column) => safeCell(e[column])).join(',')}\r\n`).join('')}`;

export const auditNdjson = (events: AuditEvent[]): string => events.map((e) => `${JSON.stringify(e)}\n`).join('');
