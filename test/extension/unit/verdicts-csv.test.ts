import { describe, expect, it } from 'vitest';
import { verdictsCsv } from '../../../extension/lib/verdicts-csv';

// The side panel's export holds what a submitter pasted, and the reviewer opens it in a spreadsheet.
describe('the side panel’s CSV export', () => {
  it('should never write a cell a spreadsheet would run as a formula', () => {
    const csv = verdictsCsv(
      [
        {
          input: '=HYPERLINK("http://evil-demo.net","x")',
          indicator: { kind: 'domain', value: 'a-demo.net' },
          status: 'unknown',
          matched: null,
          decidedBy: 'lookup',
        },
      ],
      [
        { line: '+1+2', message: 'not an indicator' },
        { line: '-cmd', message: '@SUM(A1)' },
        { line: '@SUM(A1:A9)', message: 'x' },
      ],
    );
    const cells = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .flatMap((row) => row.match(/("([^"]|"")*"|[^,]*)/g)!.filter(Boolean));
    for (const cell of cells) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil-demo.net"",""x"")"`);
    expect(csv).toContain("'+1+2,");
  });
});
