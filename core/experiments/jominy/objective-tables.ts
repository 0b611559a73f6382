import { fixed, phrase, plain } from '../../api/phrase.js';
import { captioned, labelled, titled } from '../words.js';
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
    phrase('experiments.jominy.table7', { r, alpha }),
    sample,
    pointRows('', '', weighted.profile, weighted.truth, PAPER.weightedEps),
    phrase('experiments.jominy.table7Caption'),
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
    ...titled(phrase('experiments.jominy.table8')),
    sample,
    columns: [
      { key: 'distance', ...labelled(phrase('experiments.jominy.col.distance')), unit: 'mm', digits: 1 },
      { key: 'weight', ...labelled(phrase('experiments.jominy.col.weight')), digits: 0 },
      { key: 'base', ...labelled(phrase('experiments.jominy.col.base')), unit: 'HRC', digits: 3 },
      { key: 'weighted', ...labelled(phrase('experiments.jominy.col.weighted')), unit: 'HRC', digits: 3 },
      { key: 'changePct', ...labelled(phrase('experiments.clahe.col.change')), unit: '%', digits: 0 },
      ...(honest
        ? [
            { key: 'baseTruth', ...labelled(phrase('experiments.jominy.col.baseTruth')), unit: 'HRC', digits: 3 },
            { key: 'weightedTruth', ...labelled(phrase('experiments.jominy.col.weightedTruth')), unit: 'HRC', digits: 3 },
            { key: 'changeTruthPct', ...labelled(phrase('experiments.jominy.col.changeTruth')), unit: '%', digits: 0 },
          ]
        : []),
    ],
    rows,
    ...captioned(phrase('experiments.jominy.table8Caption', { lo: PAPER.weightedImprovementPct[0], hi: PAPER.weightedImprovementPct[1], from: plain(PAPER.chosenEps), to: plain(PAPER.weightedEps) })),
  };
  return [t7, t8];
}

export function costTables(cost: ScoredRun, sample: SampleLabel, elements: Element[]): ExperimentTable[] {
  const { r, alpha } = cost.record;
  const t10 = pointTable(
    'table-10',
    phrase('experiments.jominy.table10', { beta: plain(COST_PRESET.beta), r, alpha }),
    sample,
    pointRows('', '', cost.profile, cost.truth),
    phrase('experiments.jominy.table10Caption', { term: fixed(cost.meanCostTerm, 3) }),
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
    ...titled(phrase('experiments.jominy.table11')),
    sample,
    columns: [
      { key: 'element', ...labelled(phrase('experiments.jominy.element')) },
      { key: 'gamma', ...labelled(phrase('experiments.jominy.col.gamma')), digits: 0 },
      { key: 'meanReal', ...labelled(phrase('experiments.jominy.col.meanReal')), unit: 'wt.%', digits: 4 },
      { key: 'meanDesigned', ...labelled(phrase('experiments.jominy.col.meanDesigned')), unit: 'wt.%', digits: 4 },
      { key: 'changePct', ...labelled(phrase('experiments.jominy.col.changeMean')), unit: '%', digits: 0 },
      { key: 'meanAbsChange', ...labelled(phrase('experiments.jominy.col.meanAbsChange')), unit: 'wt.%', digits: 4 },
    ],
    rows,
    ...captioned(phrase('experiments.jominy.table11Caption', { first: PAPER.costSlight[0], second: PAPER.costSlight[1] })),
  };
  return [t10, t11];
}
