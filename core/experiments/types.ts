import type { PointSplit } from '../segregation/cnn/splits.js';
import type { Phrase } from '../api/phrase.js';

/**
 * The shared shape of every reproduction experiment (issue 13). An experiment is domain logic: it takes plain
 * data and an ExperimentContext, and returns tables and figures with the paper's values beside the measured ones.
 * The orchestrator (services/experiments) loads the data, runs experiments in a worker, checkpoints every unit of
 * work in SQLite (so an interrupted run resumes where it stopped) and renders the report.
 */

export type ExperimentBudget = 'quick' | 'full';

/** What a number is (the brief: every number says it). */
export type SampleLabel = 'in-sample' | 'held-out' | 'out-of-sample' | 'paper' | 'descriptive';

export type Cell = number | string | null;

export interface TableColumn {
  key: string;
  label: string;
  /** The label as a code, for the reader's language (issue 15); absent: the English label is shown. */
  labelPhrase?: Phrase;
  /** Physical unit or scale ("wt.%", "HRC", "bits"); omitted for dimensionless figures. */
  unit?: string;
  /** Decimals to print (numbers only). */
  digits?: number;
}

export interface TableRow {
  /** Stable key of the row (e.g. "conv4-dense2"): units of work are checkpointed under it. */
  key: string;
  cells: Record<string, Cell>;
  /** The paper's values for the same columns, printed beside the measured ones ("0.91 (paper 0.94)"). */
  paper?: Record<string, Cell>;
}

export interface ExperimentTable {
  id: string;
  title: string;
  /** Which sample the figures come from, said in the report and the view. */
  sample: SampleLabel;
  columns: TableColumn[];
  rows: TableRow[];
  caption?: string;
  /** Title and caption as codes, for the reader's language; absent: the English is shown. */
  titlePhrase?: Phrase;
  captionPhrase?: Phrase;
}

export interface FigurePoint {
  x: number | string;
  y: number;
  /** Interval or ± sd, when the figure has one (lo ≤ y ≤ hi). */
  lo?: number;
  hi?: number;
}

export interface FigureSeries {
  name: string;
  namePhrase?: Phrase;
  points: FigurePoint[];
  /** The paper's curve, drawn dashed beside the measured one. */
  paper?: boolean;
}

export interface ExperimentFigure {
  id: string;
  title: string;
  kind: 'line' | 'bar' | 'scatter';
  x: { label: string; unit?: string; labelPhrase?: Phrase };
  y: { label: string; unit?: string; labelPhrase?: Phrase };
  series: FigureSeries[];
  caption?: string;
  titlePhrase?: Phrase;
  captionPhrase?: Phrase;
}

export interface ExperimentResult {
  /** e.g. "architecture-sweep", "augmentation-ablation", "jominy-r-alpha". */
  id: string;
  title: string;
  /** Where in the paper (e.g. "Fig. 7", "Supp. Table 1", "Tables 4–5"). */
  paperRef: string;
  tables: ExperimentTable[];
  figures: ExperimentFigure[];
  /** Every random choice's seed (reproducible). */
  seeds: Record<string, number>;
  /** The settings actually used (sizes, epochs, splits, budget reductions), printed in the report. */
  settings: Record<string, unknown>;
  /** Plain-language notes: what was reduced for the quick budget, what differs from the paper, warnings. */
  notes: string[];
  /** The title and each note as codes where they have one (issue 15): notePhrases[i] words notes[i]; null: English only. */
  titlePhrase?: Phrase;
  notePhrases?: (Phrase | null)[];
  elapsedMs: number;
}

export interface ExperimentContext {
  budget: ExperimentBudget;
  /** Root seed; experiments derive child seeds from it (runtime/random childSeed) and list them in `seeds`. */
  seed: number;
  /** Backend name as reported by ml/backend (e.g. "wasm"). */
  backend: string;
  signal?: AbortSignal;
  /** fraction in 0..1 of this experiment, and what it is doing: a phrase (worded in the reader's language) or, from older code, English. */
  progress(fraction: number, message: string | Phrase): void;
  /**
   * Resume: a unit of work (one configuration × split, one baseline fit …) runs at most once per run. When an
   * interrupted run is resumed, a unit that finished before returns its stored value without computing.
   * Values must be JSON-serialisable (no typed arrays, no NaN: use null).
   */
  unit<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** One sampling point of the billet(s) under study, with its patch before and after CLAHE. */
export interface SegregationPoint {
  label: string;
  billetId: number;
  xMm: number;
  yMm: number;
  /** Mean of the point's carbon readings (wt.%). */
  carbon: number;
  /** Grey patch (size × size) without CLAHE. */
  raw: Uint8Array;
  /** The same patch after the model's CLAHE settings. */
  clahe: Uint8Array;
}

export interface SegregationData {
  billets: { id: number; name: string; synthetic: boolean }[];
  /** Patch side in pixels. */
  size: number;
  points: SegregationPoint[];
  /** The same splits for every configuration and every baseline (indices into `points`). */
  splits: PointSplit[];
  /** Content fingerprint of the data (images + readings), printed in the report. */
  fingerprint: string;
  synthetic: boolean;
}

/** An experiment the orchestrator can run on a billet's data. */
export interface SegregationExperiment {
  id: string;
  title: string;
  /** The title as a code, for the run's progress in the reader's language (absent: the English title is quoted). */
  titlePhrase?: Phrase;
  paperRef: string;
  /** Estimated seconds on this machine for the budget, said before the run starts. */
  estimateSeconds(data: SegregationData, budget: ExperimentBudget): number;
  run(data: SegregationData, ctx: ExperimentContext): Promise<ExperimentResult>;
}

/** A context for tests and one-off runs: units are kept in memory, progress is dropped. */
export function memoryContext(opts: Partial<Omit<ExperimentContext, 'unit'>> & { store?: Map<string, unknown> } = {}): ExperimentContext & { store: Map<string, unknown> } {
  const store = opts.store ?? new Map<string, unknown>();
  return {
    budget: opts.budget ?? 'quick',
    seed: opts.seed ?? 1,
    backend: opts.backend ?? 'cpu',
    signal: opts.signal,
    progress: opts.progress ?? (() => {}),
    store,
    async unit<T>(key: string, compute: () => Promise<T>): Promise<T> {
      if (store.has(key)) return store.get(key) as T;
      const v = await compute();
      store.set(key, JSON.parse(JSON.stringify(v)) as unknown);
      return v;
    },
  };
}
