import { JominyCsvError, parseJominyCsv, type CsvIssue } from '../../core/jominy/csv.js';

/**
 * A Jominy CSV's issues as line, column and English message only: the tests that assert the English words compare
 * these; the phrase each issue carries beside them (the same sentence as a code) is asserted in csv-phrases.test.ts.
 */
export function plainIssues(issues: readonly CsvIssue[]): Omit<CsvIssue, 'phrase'>[] {
  return issues.map((i) => (i.column === undefined ? { line: i.line, message: i.message } : { line: i.line, column: i.column, message: i.message }));
}

/** The issues a Jominy CSV is refused with (with the parse options given); a file that imports fails the test. */
export function refusedIssues(text: string, opts: Parameters<typeof parseJominyCsv>[1] = {}): CsvIssue[] {
  try {
    parseJominyCsv(text, opts);
  } catch (e) {
    if (e instanceof JominyCsvError) return e.issues;
    throw e;
  }
  throw new Error('expected the CSV to be refused');
}
