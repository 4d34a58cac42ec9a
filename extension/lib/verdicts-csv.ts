import { expressionOf, spreadsheetCell, type Indicator } from '../../shared';

/** One checked line of a pasted submission, as the side panel shows it. */
export interface VerdictRow {
  input: string;
  indicator: Indicator;
  status: string;
  matched: Indicator | null;
  decidedBy: string | null;
}

/**
 * The side panel's export: every pasted line with its verdict. The lines are what a submitter wrote and the
 * reviewer opens the file in a spreadsheet, so no cell may run as a formula.
 */
export function verdictsCsv(rows: readonly VerdictRow[], unreadable: readonly { line: string; message: string }[]): string {
  const header = ['line', 'indicator', 'status', 'matched', 'decided_by', 'error'];
  const body = [
    ...rows.map((it) => [it.input, expressionOf(it.indicator), it.status, it.matched ? expressionOf(it.matched) : '', it.decidedBy ?? 'local', '']),
    ...unreadable.map((u) => [u.line, '', '', '', '', u.message]),
  ];
  return `${[header, ...body].map((row) => row.map(spreadsheetCell).join(',')).join('\r\n')}\r\n`;
}
