import type { ExperimentResult, TableColumn, Cell } from '../../experiments/types.js';
import type { ReportLanguage } from '../report-i18n.js';

/** What a reproduction report shows (HTML and PDF alike): the run's description and its experiments' results. */
export interface ReproductionReportInput {
  runId: number;
  kind: 'segregation' | 'jominy';
  budget: 'quick' | 'full';
  seed: number;
  backend: string;
  fingerprint: string;
  synthetic: boolean;
  /** The billets' or the dataset's names. */
  inputs: string[];
  startedAt: string;
  generatedAt: string;
  /** Total compute time of the run over all its attempts, ms. */
  elapsedMs: number;
  attempts: number;
  /** The estimate said before the run started (sum of the experiments' estimates), seconds; null if none was made. */
  estimateS?: number | null;
  /** What the data are, in words (points, patch size, splits; or heats, distances, elements). */
  dataSummary?: string;
  version: string;
  results: ExperimentResult[];
  /** The report's language (default English): headings from the report catalog, the experiments' words from their codes. */
  language?: ReportLanguage;
}

/** A number as the table's column asks (digits), else 4 significant figures; a string as is; null as a dash. */
export function formatCell(v: Cell | undefined, col: Pick<TableColumn, 'digits'>): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '—';
  if (col.digits !== undefined) return v.toFixed(col.digits);
  if (Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(4)).toString();
}

/** The measured value and, when the paper gives one, the paper's beside it. */
export function cellWithPaper(measured: Cell | undefined, paper: Cell | undefined, col: Pick<TableColumn, 'digits'>): { measured: string; paper: string | null } {
  return { measured: formatCell(measured, col), paper: paper === undefined ? null : formatCell(paper, col) };
}

export function durationWords(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${s.toFixed(1)} s`;
  if (s < 5400) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(2)} h`;
}

export function settingsText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
