import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownedTempName } from '../../runtime/temp-leftovers.js';
import { buildReproductionHtml, buildReproductionPdf, type ReproductionReportInput } from '../../report/experiments/index.js';

export const REPORT_HTML = 'reproduction-report.html';
export const REPORT_PDF = 'reproduction-report.pdf';

/** Writes a file whole or not at all: a temp name (owned by this process, swept if it dies) renamed into place. */
function writeAtomic(dir: string, name: string, bytes: string | Buffer): void {
  const tmp = join(dir, `.${ownedTempName('report-')}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(dir, name));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The run's report, HTML and PDF, in `dir` (created); each file replaces the one before only once complete. */
export async function writeReproductionReport(dir: string, input: ReproductionReportInput): Promise<{ html: string; pdf: string }> {
  mkdirSync(dir, { recursive: true });
  const pdf = await buildReproductionPdf(input);
  writeAtomic(dir, REPORT_HTML, buildReproductionHtml(input));
  writeAtomic(dir, REPORT_PDF, pdf);
  return { html: join(dir, REPORT_HTML), pdf: join(dir, REPORT_PDF) };
}
