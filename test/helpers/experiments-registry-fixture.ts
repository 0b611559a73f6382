import type { ExperimentsRegistryModule, JominyReproduction, SegregationRegistryOptions } from '../../core/experiments/registry.js';
import type { ExperimentResult, SegregationExperiment } from '../../core/experiments/types.js';
import { phrase } from '../../core/api/phrase.js';
import { captioned, labelled, notesOf, titled } from '../../core/experiments/words.js';

/**
 * A registry of test experiments whose numbers the tests know, loaded by the orchestrator's worker in place of
 * core/experiments/registry.ts (FERROLAB_TEST_EXPERIMENTS_REGISTRY). "units-4" has four units — the mean carbon of
 * each split's test points and the mean grey level of all raw / CLAHE patches — and counts the units it computes in
 * this thread (`settings.computedHere`). FERROLAB_TEST_EXPERIMENT_FAIL_AT=<n> makes its n-th unit fail (a crash in
 * the middle of a run); FERROLAB_TEST_EXPERIMENT_UNIT_MS=<ms> makes every unit take that long.
 */

let computedHere = 0;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function unitsFour(): SegregationExperiment {
  return {
    id: 'units-4',
    title: 'Four checkpointed units',
    paperRef: 'Test Table 1',
    estimateSeconds: (data, budget) => (budget === 'quick' ? 2 : 20) + data.points.length * 0,
    async run(data, ctx): Promise<ExperimentResult> {
      const failAt = Number(process.env.FERROLAB_TEST_EXPERIMENT_FAIL_AT ?? 0);
      let n = 0;
      const unit = <T>(key: string, compute: () => T) =>
        ctx.unit(key, async () => {
          n++;
          if (failAt && n === failAt) throw new Error(`injected failure at unit ${n}`);
          // A slow unit, so that a test can cancel between two of them.
          const ms = Number(process.env.FERROLAB_TEST_EXPERIMENT_UNIT_MS ?? 0);
          if (ms) await new Promise((r) => setTimeout(r, ms));
          computedHere++;
          return compute();
        });
      const splitMeans: number[] = [];
      for (let s = 0; s < 2; s++) {
        splitMeans.push(await unit(`split-${s}`, () => mean(data.splits[s].test.map((i) => data.points[i].carbon))));
        ctx.progress((s + 1) / 4, `split ${s + 1}`);
      }
      const rawGrey = await unit('raw-grey', () => mean(data.points.map((p) => mean([...p.raw]))));
      const claheGrey = await unit('clahe-grey', () => mean(data.points.map((p) => mean([...p.clahe]))));
      return {
        id: 'units-4',
        title: 'Four checkpointed units',
        paperRef: 'Test Table 1',
        tables: [
          {
            id: 'split-carbon',
            title: 'Mean carbon of the test points per split',
            sample: 'held-out',
            columns: [
              { key: 'split', label: 'Split' },
              { key: 'carbon', label: 'Mean C', unit: 'wt.%', digits: 4 },
            ],
            rows: splitMeans.map((c, s) => ({ key: `split-${s}`, cells: { split: `split ${s + 1}`, carbon: c }, paper: { carbon: 0.4321 + s } })),
          },
          {
            id: 'grey',
            title: 'Mean grey level',
            sample: 'descriptive',
            columns: [
              { key: 'what', label: 'Patches' },
              { key: 'grey', label: 'Mean grey', digits: 2 },
            ],
            rows: [
              { key: 'raw', cells: { what: 'raw', grey: rawGrey }, paper: { grey: 111.11 } },
              { key: 'clahe', cells: { what: 'CLAHE', grey: claheGrey }, paper: { grey: 122.22 } },
            ],
          },
          {
            // words as the real experiments write them (codes of core/experiments/segregation/variant-runs.ts)
            id: 'words',
            ...titled(phrase('experiments.table.heldOut')),
            sample: 'held-out',
            columns: [
              { key: 'variant', ...labelled(phrase('experiments.col.variant')) },
              { key: 'mae', ...labelled(phrase('experiments.col.meanBias')), unit: 'wt.%', digits: 4 },
            ],
            rows: [{ key: 'a', cells: { variant: 'A', mae: splitMeans[0] - splitMeans[1] } }],
            ...captioned(phrase('experiments.table.heldOutCaption')),
          },
        ],
        figures: [
          {
            id: 'split-carbon-fig',
            title: 'Mean carbon per split',
            kind: 'line',
            x: { label: 'split' },
            y: { label: 'C', unit: 'wt.%' },
            series: [
              { name: 'measured', points: splitMeans.map((c, s) => ({ x: s + 1, y: c })) },
              { name: 'paper', paper: true, points: [{ x: 1, y: 0.4321 }, { x: 2, y: 1.4321 }] },
            ],
          },
        ],
        seeds: { root: ctx.seed },
        settings: { computedHere, points: data.points.length, size: data.size, budget: ctx.budget },
        // an English-only note beside one written as a code (the real experiments' synthetic-data note)
        ...notesOf([...(ctx.budget === 'quick' ? ['quick budget: two splits only'] : []), phrase('experiments.note.synthetic')]),
        elapsedMs: 0,
      };
    },
  };
}

export async function segregationExperiments(_opts: SegregationRegistryOptions = {}): Promise<SegregationExperiment[]> {
  return [unitsFour()];
}

export const jominyReproduction: JominyReproduction = {
  estimateSeconds: () => 1,
  async run(input, ctx) {
    const heats = await ctx.unit('heats', async () => input.samples.length);
    const j1 = await ctx.unit('mean-j1', async () => mean(input.samples.map((s) => s.hardness[0]).filter(Number.isFinite)));
    return [
      {
        id: 'jominy-test',
        title: 'Dataset summary',
        paperRef: 'Test Table 4',
        tables: [
          {
            id: 'summary',
            title: 'Heats and J1',
            sample: 'descriptive',
            columns: [{ key: 'heats', label: 'Heats' }, { key: 'j1', label: 'Mean J1', unit: 'HRC', digits: 2 }],
            rows: [{ key: 'all', cells: { heats, j1 }, paper: { heats: 810, j1: 55.55 } }],
          },
        ],
        figures: [],
        seeds: { root: ctx.seed },
        settings: {},
        notes: [],
        elapsedMs: 0,
      },
    ];
  },
};

const registry: ExperimentsRegistryModule = { segregationExperiments, jominyReproduction };
export default registry;
