import { DISTANCES_MM, ELEMENTS, type Element } from '../../jominy/elements.js';
import { COST_PRESET, WEIGHT_PRESETS } from '../../jominy/objective.js';
import type { Cell, ExperimentTable, SampleLabel, TableRow } from '../types.js';
import { pointRows, pointTable } from './point-tables.js';
import type { ScoredRun } from './scores.js';
import { PAPER } from './paper.js';

/** The weighted (§4.2: Tables 7–8) and cost (§4.3: Tables 10–11) runs, both at the chosen r, α. */

export function weightedTables(base: ScoredRun, weighted: ScoredRun, sample: SampleLabel): ExperimentTable[] {
  const honest = base.truth !== null && weighted.truth !== null;
  const { r, alpha } = weighted.record;
  const t7 = pointTable(
    'table-7',
    `Table 7 — weighted objective (Eq. 2, Table 6 weights) at r = ${r}, α = ${alpha}`,
    sample,
    pointRows('', '', weighted.profile, weighted.truth, PAPER.weightedEps),
    'Weights ×2 at 11 and 35 mm, ×4 from 13 to 30 mm (the paper’s Table 6).',
  );
  const w = WEIGHT_PRESETS.central;
  const change = (b: number, x: number): Cell => (b > 0 ? (100 * (x - b)) / b : null);
  const rows: TableRow[] = DISTANCES_MM.map((d, i) => ({
    key: `j${i + 1}`,
    cells: {
      distance: d,
      weight: w[i],
      base: base.profile.points[i].eps,
      weighted: weighted.profile.points[i].eps,
      changePct: change(base.profile.points[i].eps, weighted.profile.points[i].eps),
      ...(honest ? { baseTruth: base.truth!.points[i].eps, weightedTruth: weighted.truth!.points[i].eps, changeTruthPct: change(base.truth!.points[i].eps, weighted.truth!.points[i].eps) } : {}),
    },
  }));
  rows.push({
    key: 'avg',
    cells: {
      distance: 'average',
      weight: null,
      base: base.profile.eps,
      weighted: weighted.profile.eps,
      changePct: change(base.profile.eps, weighted.profile.eps),
      ...(honest ? { baseTruth: base.truth!.eps, weightedTruth: weighted.truth!.eps, changeTruthPct: change(base.truth!.eps, weighted.truth!.eps) } : {}),
    },
    paper: { base: PAPER.chosenEps, weighted: PAPER.weightedEps },
  });
  const t8: ExperimentTable = {
    id: 'table-8',
    title: 'Table 8 — ε_i of the weighted vs the base objective, same targets, seeds and r, α',
    sample,
    columns: [
      { key: 'distance', label: 'distance', unit: 'mm', digits: 1 },
      { key: 'weight', label: 'weight w_i', digits: 0 },
      { key: 'base', label: 'ε_i base (vs predictor)', unit: 'HRC', digits: 3 },
      { key: 'weighted', label: 'ε_i weighted (vs predictor)', unit: 'HRC', digits: 3 },
      { key: 'changePct', label: 'change', unit: '%', digits: 0 },
      ...(honest
        ? [
            { key: 'baseTruth', label: 'ε_i base vs generating model (honest)', unit: 'HRC', digits: 3 },
            { key: 'weightedTruth', label: 'ε_i weighted vs generating model (honest)', unit: 'HRC', digits: 3 },
            { key: 'changeTruthPct', label: 'change (honest)', unit: '%', digits: 0 },
          ]
        : []),
    ],
    rows,
    caption: `The paper: lower ε_i at every weighted point but the first (11 mm), by ${PAPER.weightedImprovementPct[0]}–${PAPER.weightedImprovementPct[1]} %; the overall ε rose from ${PAPER.chosenEps} to ${PAPER.weightedEps} HRC.`,
  };
  return [t7, t8];
}

export function costTables(cost: ScoredRun, sample: SampleLabel, elements: Element[]): ExperimentTable[] {
  const { r, alpha } = cost.record;
  const t10 = pointTable(
    'table-10',
    `Table 10 — cost objective (Eq. 3, Table 9 costs, β = ${COST_PRESET.beta}) at r = ${r}, α = ${alpha}`,
    sample,
    pointRows('', '', cost.profile, cost.truth),
    `γ = 1 for Cr, Ni, Mo, V, Nb, Ti, 0 otherwise (the paper’s Table 9). Mean cost term β·Σγ·C over the designs: ${cost.meanCostTerm.toFixed(3)}.`,
  );
  const gamma = (el: Element) => COST_PRESET.costs[ELEMENTS.indexOf(el)];
  const rows: TableRow[] = elements.map((el) => {
    const e = cost.elements.find((x) => x.element === el)!;
    const paper = PAPER.costChangePct[el];
    return {
      key: el,
      cells: { element: el, gamma: gamma(el), meanReal: e.meanReal, meanDesigned: e.meanDesigned, changePct: e.changePct, meanAbsChange: e.eps },
      ...(paper !== undefined ? { paper: { changePct: paper } } : {}),
    };
  });
  const t11: ExperimentTable = {
    id: 'table-11',
    title: 'Table 11 — average chemistry of the cost-run designs vs the target heats’',
    sample,
    columns: [
      { key: 'element', label: 'element' },
      { key: 'gamma', label: 'γ (cost)', digits: 0 },
      { key: 'meanReal', label: 'mean content of the targets', unit: 'wt.%', digits: 4 },
      { key: 'meanDesigned', label: 'mean content of the designs', unit: 'wt.%', digits: 4 },
      { key: 'changePct', label: 'change of the mean', unit: '%', digits: 0 },
      { key: 'meanAbsChange', label: 'mean |design − target heat|', unit: 'wt.%', digits: 4 },
    ],
    rows,
    caption: `The paper: Ni and Mo about −18 %, V −89 %, Nb −80 %; ${PAPER.costSlight.join(' and ')} reduced slightly (no figure given).`,
  };
  return [t10, t11];
}
