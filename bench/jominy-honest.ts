// JoMiner honest error (issue 12 "Targets"): the synthetic protocol — 810 heats (seed 2021), predictor seed 7,
// its 243 test heats as targets, r = 3, α = 15, Q = 50, NG = 100 — designed with the base (Eq. 1) and the cost
// (Eq. 3, paper preset) objectives, each with the default search and the paper's GA. Reports ε (Eq. 7) against
// the predictor (what the search minimises) and against the generating model (synthTruthProfile: what a heat
// cast at the design would measure, noise aside), and the designs outside the data domain.
// The objective is built through its public options: `--objective '{"…": …}'` is merged into every target's
// ObjectiveSpec (e.g. a trust-region penalty once the objective has one), `--settings '{"domainWeight": 2}'`
// into the search settings, `--trust '{"sdWeight": 1}'` turns on the trust region's disagreement penalty (a 5-member
// bootstrap ensemble is trained for it first; `--settings '{"domainWeight": 1}'` is its distance-to-data half).
// `--defaults` applies the product's design defaults (DEFAULT_TRUST), i.e. what jominy.design does without options:
// disagreement and distance penalties, and (domain weight > 0) the elements the predictor does not use held at the
// median of the design's nearest training heats (neighbour-aims.ts).
// Run: npx tsx bench/jominy-honest.ts [--defaults] [--predictor-seed S] [--targets N] [--objectives base,cost] [--searches default,paper-ga]
//   [--threads N] [--quick] [--objective JSON] [--settings JSON] [--trust JSON] [--worst N]
import { availableParallelism, loadavg } from 'node:os';
import {
  arrayToChem, dataPercentileRanges, deriveSeed, objectiveFor, runDesignsInPool, summarise, synthTruthProfile,
  DEFAULT_TRUST, ELEMENTS, type DesignOutput, type DesignTask, type Element, type GaSettings, type TrustSettings, type ObjectiveKind, type ObjectiveSpec, type SearchKind,
} from '../core/jominy/index.js';
import { argValue, printTable, protocol, protocolEnsemble } from './_jominy-common.js';

const quick = process.argv.includes('--quick');
const threads = Number(argValue('--threads') ?? availableParallelism());
const objectives = (argValue('--objectives') ?? 'base,cost').split(',') as ObjectiveKind[];
const searches = (argValue('--searches') ?? 'default,paper-ga').split(',') as SearchKind[];
const extraObjective = JSON.parse(argValue('--objective') ?? '{}') as Partial<ObjectiveSpec>;
// --defaults: the design defaults of the product (DEFAULT_TRUST: disagreement and domain weights), as jominy.design applies them.
const defaults = process.argv.includes('--defaults');
const extraSettings = { ...(defaults ? { domainWeight: DEFAULT_TRUST.domainWeight } : {}), ...(JSON.parse(argValue('--settings') ?? '{}') as Partial<GaSettings>) };
const SEED = 11;

const extraTrust = { ...(defaults ? { sdWeight: DEFAULT_TRUST.sdWeight } : {}), ...(JSON.parse(argValue('--trust') ?? '{}') as Partial<TrustSettings>) };
const { model: bare, heats, targets: all, trainSeconds } = protocol(quick);
// The disagreement penalty needs the ensemble (trained on the predictor's own non-test heats, seeds derived from its seed; cached).
const ens = extraTrust.sdWeight ? protocolEnsemble(heats, bare, quick) : null;
const model = ens ? { ...bare, ensemble: ens.ensemble } : bare;
if (ens?.trainSeconds) console.error(`trained the 5-member ensemble in ${ens.trainSeconds.toFixed(0)} s`);
const targets = all.slice(0, Number(argValue('--targets') ?? all.length));
if (trainSeconds !== null) console.error(`trained the predictor in ${trainSeconds.toFixed(0)} s`);
// The product's default search box: the data's P1–P99 per element (jominy.design without ranges or grade).
const { min, max } = dataPercentileRanges(model.domain);
const truth = (c: number[]) => synthTruthProfile(arrayToChem(c));

// `--worst N`: the N designs with the largest honest error per run, to see which designs carry it (which elements,
// how far from the data, predicted vs honest, and what the search held).
const worst = Number(argValue('--worst') ?? 0);
const worstLines: string[] = [];
const mae = (a: number[], b: number[]) => a.reduce((x, v, i) => x + Math.abs(v - b[i]), 0) / a.length;
function worstDesigns(label: string, outs: DesignOutput[]): string[] {
  const key: Element[] = ['C', 'Mn', 'Cr', 'Ni', 'Mo', 'B', 'Ti'];
  return outs
    .map((o, k) => ({ k, o, honest: mae(truth(o.best.chemistry), targets[k].hardness) }))
    .sort((a, b) => b.honest - a.honest)
    .slice(0, worst)
    .map(({ k, o, honest }) => {
      const c = o.best.chemistry;
      const chem = key.map((el) => `${el} ${+c[ELEMENTS.indexOf(el)].toPrecision(3)}`).join(' ');
      const tc = key.map((el) => `${el} ${targets[k].chemistry[el]}`).join(' ');
      return `${label} target ${k} (${targets[k].grade}): honest ${honest.toFixed(2)} vs predicted ${o.best.deviation.toFixed(2)} HRC; distance ${o.best.domain.distance.toFixed(2)}/${o.best.domain.threshold.toFixed(2)}; design ${chem}; target heat ${tc}; held ${o.held.join(',') || '–'}`;
    });
}

const rows: string[][] = [];
for (const objective of objectives) {
  for (const search of searches) {
    const t = performance.now();
    const tasks: DesignTask[] = targets.map((h, k) => ({
      key: k,
      input: {
        objective: { ...objectiveFor(objective, h.hardness), ...extraObjective },
        constraints: { min, max, linear: [] },
        settings: { topK: 1, r: 3, alpha: 15, population: 50, generations: 100, search, ...extraSettings },
        seed: deriveSeed(SEED, k),
        ...(extraTrust.sdWeight ? { trust: { sdWeight: 0, ...extraTrust } } : {}),
      },
    }));
    const res = await runDesignsInPool(model, tasks, { threads });
    const s = summarise(targets, res, { r: 3, alpha: 15, objective }, model.domain.max, truth);
    rows.push([
      objective, search, s.profile.eps.toFixed(3), s.truth!.eps.toFixed(3), `${s.outOfDomain} (${((100 * s.outOfDomain) / targets.length).toFixed(0)} %)`,
      s.meanCostTerm.toFixed(3), ((performance.now() - t) / 1000).toFixed(0),
    ]);
    console.error(rows[rows.length - 1].join('  '));
    if (worst > 0) worstLines.push(...worstDesigns(`${objective} ${search}`, res.map((r) => r.output)));
  }
}
// The floor: a design cannot beat the target heat's own measurement noise (its true curve vs its measured one).
const floor = targets.reduce((a, h) => a + synthTruthProfile(h.chemistry).reduce((b, v, i) => b + Math.abs(v - h.hardness[i]), 0) / 15, 0) / targets.length;
printTable(
  `JoMiner honest ε: ${targets.length} target heats of the synthetic protocol (810 heats seed 2021, predictor seed ${model.seed}${quick ? ', --quick predictor' : ''}; test MAE ${model.metrics.mae.toFixed(2)} HRC), design seeds deriveSeed(${SEED}, k), r = 3, α = 15, Q = 50, NG = 100, ranges data P1–P99${Object.keys(extraObjective).length ? `, objective ${JSON.stringify(extraObjective)}` : ''}${Object.keys(extraSettings).length ? `, settings ${JSON.stringify(extraSettings)}` : ''}${Object.keys(extraTrust).length ? `, trust ${JSON.stringify(extraTrust)}` : ''}; ${threads} threads; load ${loadavg()[0].toFixed(1)}`,
  ['objective', 'search', 'ε vs predictor', 'ε vs generating model', 'outside domain', 'cost term', 's'],
  rows,
);
if (worstLines.length) console.log(`\n${worstLines.join('\n')}`);
console.log(`\nfloor: mean |true − measured| of the targets themselves = ${floor.toFixed(3)} HRC (a perfect design scores this against the generating model)`);
