import type { ExperimentFigure, ExperimentTable, SampleLabel, TableRow, FigureSeries, Cell } from '../types.js';
import type { Element } from '../../jominy/elements.js';
import type { ProfileIndices } from '../../jominy/metrics.js';
import { pointRows, pointTable } from './point-tables.js';
import { cellKey, type ScoredRun } from './scores.js';
import { PAPER } from './paper.js';

/**
 * The base case (§4.1, Eq. 1) over the r × α sweep: Table 4 (one row per cell with ε, E, S, θ — the averages over
 * the 15 points — and the mean over the cells; then every cell's per-point ε_i, E_i, S_i, θ_i), Fig. 5 (ε by α and
 * by r), Fig. 6 (θ_i at the chosen cell), Table 5 and Fig. 8 (ε[El], ρ[El]).
 */
export interface SweepParts {
  tables: ExperimentTable[];
  figures: ExperimentFigure[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The no-search baseline's indices (baseline.ts), printed under the cells. */
export interface BaselineScores {
  profile: ProfileIndices;
  truth: ProfileIndices | null;
}

export function sweepTables(cells: ScoredRun[], sample: SampleLabel, chosen: { r: number; alpha: number }, baseline: BaselineScores, reference: BaselineScores): ExperimentTable[] {
  const honest = cells[0].truth !== null;
  const row = (s: ScoredRun): TableRow => {
    const { r, alpha } = s.record;
    const isChosen = r === chosen.r && alpha === chosen.alpha;
    return {
      key: cellKey(r, alpha),
      cells: { r, alpha, eps: s.profile.eps, E: s.profile.E, S: s.profile.S, theta: s.profile.theta, ...(honest ? { epsTruth: s.truth!.eps } : {}), outOfDomain: s.outOfDomain },
      ...(isChosen ? { paper: { eps: PAPER.chosenEps } } : {}),
    };
  };
  const rows = cells.map(row);
  const avgOf = (k: string) => mean(rows.map((x) => x.cells[k] as number));
  const meanRow: TableRow = {
    key: 'mean',
    cells: { r: 'mean', alpha: `${cells.length} cells`, eps: avgOf('eps'), E: avgOf('E'), S: avgOf('S'), theta: avgOf('theta'), ...(honest ? { epsTruth: avgOf('epsTruth') } : {}), outOfDomain: avgOf('outOfDomain') },
  };
  const summary: ExperimentTable = {
    id: 'table-4',
    title: 'Table 4 — base objective (Eq. 1) over the r × α sweep: averages over the 15 points',
    sample,
    columns: [
      { key: 'r', label: 'r', digits: 0 },
      { key: 'alpha', label: 'α', unit: '%', digits: 0 },
      { key: 'eps', label: 'ε (vs predictor)', unit: 'HRC', digits: 3 },
      { key: 'E', label: 'E (vs predictor)', unit: 'HRC', digits: 2 },
      { key: 'S', label: 'S (vs predictor)', unit: 'HRC', digits: 3 },
      { key: 'theta', label: 'θ (vs predictor)', unit: '%', digits: 2 },
      ...(honest ? [{ key: 'epsTruth', label: 'ε vs generating model (honest)', unit: 'HRC', digits: 3 }] : []),
      { key: 'outOfDomain', label: 'designs outside the data domain', digits: 1 },
    ],
    rows: [
      ...rows,
      meanRow,
      {
        key: 'baseline-training-heat',
        cells: { r: 'baseline', alpha: 'closest training heat, no search', eps: baseline.profile.eps, E: baseline.profile.E, S: baseline.profile.S, theta: baseline.profile.theta, ...(honest ? { epsTruth: baseline.truth!.eps } : {}), outOfDomain: 0 },
      },
      {
        key: 'reference-own-chemistry',
        cells: { r: 'reference', alpha: 'the target heat’s own chemistry', eps: reference.profile.eps, E: reference.profile.E, S: reference.profile.S, theta: reference.profile.theta, ...(honest ? { epsTruth: reference.truth!.eps } : {}), outOfDomain: null },
      },
    ],
    caption:
      `ε, E, S, θ: Eqs. 7–9 and the mean of Eq. 10 over the 15 points, of the predictor's curve at each design against the target heat's measured curve. ` +
      `The paper reports ε = ${PAPER.chosenEps} HRC at r = 3, α = 15 (its best cell) and ${PAPER.sweepEpsRange[0]}–${PAPER.sweepEpsRange[1]} HRC over its 20 cells. ` +
      'Baseline (beyond the paper): each target gets the chemistry of the training heat whose predicted curve is closest to it — what the plant’s records give without a search. Reference: the target heat’s own chemistry (against the predictor, its error on these heats; against the generating model, their measurement noise). ' +
      (honest ? 'The honest ε scores the same designs with the generating model of the synthetic heats: what a heat cast at the design would measure, noise aside.' : 'Measured data: no generating model is known, so only the predictor’s figures exist.'),
  };
  const detail = pointTable(
    'table-4-points',
    'Table 4 — per point: ε_i, E_i, S_i (Eqs. 4–6) and θ_i (Eq. 10) for every cell',
    sample,
    cells.flatMap((s) => pointRows(`${cellKey(s.record.r, s.record.alpha)}-`, `r = ${s.record.r}, α = ${s.record.alpha}: `, s.profile, s.truth, s.record.r === chosen.r && s.record.alpha === chosen.alpha ? PAPER.chosenEps : undefined)),
    'The last column is the average over the 15 points (Eqs. 7–9).',
  );
  return [summary, detail];
}

export function elementTables(cells: ScoredRun[], sample: SampleLabel, elements: Element[]): ExperimentTable[] {
  const table = (id: string, title: string, pick: 'eps' | 'rho', unit: string | undefined, digits: number, caption: string): ExperimentTable => ({
    id,
    title,
    sample,
    columns: [{ key: 'r', label: 'r', digits: 0 }, { key: 'alpha', label: 'α', unit: '%', digits: 0 }, ...elements.map((el) => ({ key: el, label: el, ...(unit ? { unit } : {}), digits }))],
    rows: cells.map((s) => {
      const c: Record<string, Cell> = { r: s.record.r, alpha: s.record.alpha };
      for (const e of s.elements) c[e.element] = e[pick];
      return { key: cellKey(s.record.r, s.record.alpha), cells: c };
    }),
    caption,
  });
  return [
    table('table-5', 'Table 5 — ε[El] (Eq. 11): mean |[El]_opt − [El]^T| per element and cell', 'eps', 'wt.%', 4, 'Designed chemistry against the target heat’s real chemistry. The paper’s Table 5 is an image in the text Ferrolab holds: no values beside ours.'),
    table('table-5-rho', 'Fig. 8 data — ρ[El] = ε[El] / [El]_max (Eq. 12) per element and cell', 'rho', undefined, 3, '[El]_max: the largest content of the element among the predictor’s training heats (the paper: the dataset’s maximum, its Table 2).'),
  ];
}

export function sweepFigures(cells: ScoredRun[], chosen: { r: number; alpha: number }, elements: Element[]): ExperimentFigure[] {
  const rs = [...new Set(cells.map((c) => c.record.r))];
  const alphas = [...new Set(cells.map((c) => c.record.alpha))];
  // A box plot's content as points: every cell's ε, and the median with the min–max as its interval.
  const spread = (groups: number[], by: (s: ScoredRun) => number, others: number[], other: (s: ScoredRun) => number, otherName: string): FigureSeries[] => [
    ...others.map((o) => ({ name: `${otherName} = ${o}`, points: cells.filter((s) => other(s) === o).map((s) => ({ x: by(s), y: s.profile.eps })) })),
    {
      name: 'median (min–max)',
      points: groups.map((g) => {
        const v = cells.filter((s) => by(s) === g).map((s) => s.profile.eps).sort((a, b) => a - b);
        const med = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return { x: g, y: med, lo: v[0], hi: v[v.length - 1] };
      }),
    },
  ];
  const figs: ExperimentFigure[] = [
    { id: 'fig-5a', title: 'Fig. 5a — ε (vs predictor) by α', kind: 'scatter', x: { label: 'α', unit: '%' }, y: { label: 'ε', unit: 'HRC' }, series: spread(alphas, (s) => s.record.alpha, rs, (s) => s.record.r, 'r'), caption: 'The paper draws box plots of ε over its cells for each α; here every cell and the median with its range.' },
    { id: 'fig-5b', title: 'Fig. 5b — ε (vs predictor) by r', kind: 'scatter', x: { label: 'r' }, y: { label: 'ε', unit: 'HRC' }, series: spread(rs, (s) => s.record.r, alphas, (s) => s.record.alpha, 'α'), caption: 'As Fig. 5a, grouped by r.' },
  ];
  const c = cells.find((s) => s.record.r === chosen.r && s.record.alpha === chosen.alpha);
  if (c) {
    const series: FigureSeries[] = [{ name: 'θ_i vs predictor', points: c.profile.points.map((p) => ({ x: p.distanceMm, y: p.theta })) }];
    if (c.truth) series.push({ name: 'θ_i vs generating model (honest)', points: c.truth.points.map((p) => ({ x: p.distanceMm, y: p.theta })) });
    figs.push({
      id: 'fig-6',
      title: `Fig. 6 — θ_i (Eq. 10) per distance at r = ${chosen.r}, α = ${chosen.alpha}`,
      kind: 'line',
      x: { label: 'distance from the quenched end', unit: 'mm' },
      y: { label: 'θ_i', unit: '%' },
      series,
      caption: `The paper: below ${PAPER.thetaFirstBelowPct} % in the first points, below ${PAPER.thetaCentralBelowPct} % in the central part (its figure gives no values to draw).`,
    });
  }
  // Fig. 8: the paper shows 4 combinations without saying which in its text; the four r at the chosen α.
  const four = cells.filter((s) => s.record.alpha === chosen.alpha);
  if (four.length)
    figs.push({
      id: 'fig-8',
      title: `Fig. 8 — ρ[El] (Eq. 12) per element, r = ${four.map((s) => s.record.r).join(', ')} at α = ${chosen.alpha}`,
      kind: 'bar',
      x: { label: 'element' },
      y: { label: 'ρ[El]' },
      series: four.map((s) => ({ name: `r = ${s.record.r}, α = ${s.record.alpha}`, points: elements.map((el) => ({ x: el, y: s.elements.find((e) => e.element === el)!.rho })) })),
      caption: 'The paper’s text does not say which four combinations its Fig. 8 shows; every cell is in the ρ[El] table.',
    });
  return figs;
}

