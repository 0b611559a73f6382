export { buildReproductionHtml, figureSvg } from './html-report.js';
export { buildReproductionPdf } from './pdf-report.js';
export { formatCell, type ReproductionReportInput } from './report-input.js';
export { reproductionWords } from './report-words.js';
