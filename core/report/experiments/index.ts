export { buildReproductionHtml, figureSvg } from './html-report.js';
export { buildReproductionPdf } from './pdf-report.js';
export { SYNTHETIC_BANNER, budgetLine, formatCell, type ReproductionReportInput } from './report-input.js';
