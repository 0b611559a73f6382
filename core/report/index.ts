export { buildMapReport, type MapReportInput, type ReportHeader, type ModelCard, type ComparisonFit, type ReportMap, type Paper, type PlantReportFields } from './map-report.js';
export { reportTranslator, reportPhraser, sayWith, REPORT_LANGUAGES, type ReportLanguage, type ReportTranslate, type ReportPhrase } from './report-i18n.js';
export { acceptanceOf, MEASURED_MIN_POINTS, MEASURED_MIN_COVERED, type AcceptanceResult, type AcceptanceEvidence, type C0Source, type ModelOnlyReason } from './acceptance.js';
export { dataFingerprint, canonicalJson } from './fingerprint.js';
export { reportFonts, asciiSafe, type ReportFonts } from './fonts.js';
export { drawProfileChart, type ProfileSeries } from './profile-chart.js';
export { buildMapReportInWorker, type ReportMapSpec, type ReportWorkerInput } from './report-in-worker.js';
