import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileWhole } from '../../runtime/write-whole.js';
import { buildReproductionHtml, buildReproductionPdf, type ReproductionReportInput } from '../../report/experiments/index.js';

export const REPORT_HTML = 'reproduction-report.html';
export const REPORT_PDF = 'reproduction-report.pdf';

/** The run's report, HTML and PDF, in `dir` (created); each file replaces the one before only once complete. */
export async function writeReproductionReport(dir: string, input: ReproductionReportInput): Promise<{ html: string; pdf: string }> {
  mkdirSync(dir, { recursive: true });
  const pdf = await buildReproductionPdf(input);
  writeFileWhole(join(dir, REPORT_HTML), buildReproductionHtml(input));
  writeFileWhole(join(dir, REPORT_PDF), pdf);
  return { html: join(dir, REPORT_HTML), pdf: join(dir, REPORT_PDF) };
}
