import { phrase, type Phrase } from '../../api/phrase.js';
import { captioned, labelled, titled } from '../words.js';
import { DISTANCES_MM } from '../../jominy/elements.js';
import type { ProfileIndices } from '../../jominy/metrics.js';
import type { Cell, SampleLabel, TableColumn, TableRow, ExperimentTable } from '../types.js';

/**
 * The per-point table the paper prints for a run (Tables 4, 7, 10): rows ε_i, E_i, S_i, θ_i (Eqs. 4–6, 10), one
 * column per distance and the average over the 15 points (Eqs. 7–9). With a generating model, a row of ε_i
 * against it (the honest error) follows, labelled as such.
 */
export const pointColumns = (): TableColumn[] => [
  ...DISTANCES_MM.map((d, i): TableColumn => ({ key: `j${i + 1}`, label: `${d} mm`, digits: 2 })),
  { key: 'avg', ...labelled(phrase('experiments.jominy.col.avg')), digits: 3 },
];

const pointCells = (values: number[], avg: number): Record<string, Cell> => {
  const out: Record<string, Cell> = {};
  values.forEach((v, i) => (out[`j${i + 1}`] = v));
  out.avg = avg;
  return out;
};

export function pointRows(prefix: string, what: string, p: ProfileIndices, truth: ProfileIndices | null, paperAvgEps?: number): TableRow[] {
  const rows: TableRow[] = [
    { key: `${prefix}eps`, cells: { index: `${what}ε_i (HRC, vs predictor)`, ...pointCells(p.points.map((x) => x.eps), p.eps) }, ...(paperAvgEps !== undefined ? { paper: { avg: paperAvgEps } } : {}) },
    { key: `${prefix}E`, cells: { index: `${what}E_i (HRC, vs predictor)`, ...pointCells(p.points.map((x) => x.E), p.E) } },
    { key: `${prefix}S`, cells: { index: `${what}S_i (HRC, vs predictor)`, ...pointCells(p.points.map((x) => x.S), p.S) } },
    { key: `${prefix}theta`, cells: { index: `${what}θ_i (%, vs predictor)`, ...pointCells(p.points.map((x) => x.theta), p.theta) } },
  ];
  if (truth) rows.push({ key: `${prefix}eps-truth`, cells: { index: `${what}ε_i (HRC, vs generating model: honest)`, ...pointCells(truth.points.map((x) => x.eps), truth.eps) } });
  return rows;
}

export function pointTable(id: string, title: Phrase, sample: SampleLabel, rows: TableRow[], caption: Phrase): ExperimentTable {
  return { id, ...titled(title), sample, columns: [{ key: 'index', ...labelled(phrase('experiments.jominy.col.index')) }, ...pointColumns()], rows, ...captioned(caption) };
}
