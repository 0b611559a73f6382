import { describe, expect, it } from 'vitest';
import { apiSession } from '../../helpers/api-session.js';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { writeJominyCsv } from '../../../core/jominy/csv.js';
import type { JominySample } from '../../../core/jominy/dataset.js';

/**
 * Element gaps past training (issue 12): the optimiser's evaluation takes the predictor's own test heats by their
 * split indices, which are into the heats it learnt from — with gaps, not the dataset's rows. A target heat that
 * lacks an element the predictor takes is refused, never scored with a 0 in its place.
 */
const { ctx, api, finished } = apiSession();
const upload = (samples: JominySample[], name: string) => ({ uploadId: ctx.uploads.saveBytes(Buffer.from(writeJominyCsv(samples, { synthetic: 'element gaps', seed: '4' }))), name });
/** Every 7th heat did not analyse Mo; every other heat did not analyse Nb. */
const gapped = (samples: JominySample[]) =>
  samples.map((s, i) => {
    const chemistry = { ...s.chemistry };
    if (i % 7 === 3) delete chemistry.Mo;
    if (i % 2 === 0) delete chemistry.Nb;
    return { ...s, chemistry };
  });

describe('evaluation on a predictor trained with element gaps', () => {
  it('scores the predictor’s own held-out heats (of the heats it learnt from), and refuses targets lacking an input element', async () => {
    const heats = gapped(generateSynthetic({ n: 140, seed: 4 }));
    const lackMo = heats.filter((s) => s.chemistry.Mo === undefined).length;
    expect(lackMo).toBe(20);
    const ds = await api['jominy.datasets.import']({ upload: upload(heats, 'gapped.csv') });
    const { modelId } = await finished((await api['jominy.models.train']({ datasetId: ds.id, seed: 2, maxHidden: 1, epochs: 5, ensemble: 0 })).id);
    const m = await api['jominy.models.get']({ id: modelId });
    expect(m.inputHeats).toMatchObject({ datasetHeats: 140, usedHeats: 120, leftOut: 20, leftOutBy: [{ element: 'Mo', heats: 20 }], dropped: [{ element: 'Nb', measured: 70, share: 0.5 }] });
    expect(m.split.train + m.split.validation + m.split.test).toBe(120);
    expect(m.usedElements).not.toContain('Nb');

    const e = await api['jominy.evaluations.get']({ id: (await finished((await api['jominy.evaluate']({ modelId, population: 6, generations: 2, threads: 1, seed: 5 })).id)).evaluationId });
    expect(e.runs[0].targets).toBe(m.split.test);

    // another dataset's heats as targets: one without Mo has no chemistry to compare a design with
    const other = await api['jominy.datasets.import']({ upload: upload(gapped(generateSynthetic({ n: 40, seed: 9 })), 'targets.csv') });
    await expect(api['jominy.evaluate']({ modelId, datasetId: other.id, population: 6, generations: 2, seed: 5 })).rejects.toMatchObject({
      code: 'failed_precondition',
      message: expect.stringMatching(/evaluation targets must have every element the predictor takes analysed: 6 target heats lack one \(first: \S+, without Mo\)/),
    });
  });

  it('refuses to train when too few heats analysed every input, naming the gap and the setting, and stores no model', async () => {
    const heats = generateSynthetic({ n: 40, seed: 12 }).map((s, i) => {
      const chemistry: JominySample['chemistry'] = { ...s.chemistry };
      if (i % 8 < 3) delete chemistry.B;
      return { ...s, chemistry };
    });
    const ds = await api['jominy.datasets.import']({ upload: upload(heats, 'sparse.csv') });
    const before = (await api['jominy.models.list']({})).length;
    await expect(api['jominy.models.train']({ datasetId: ds.id, seed: 1, maxHidden: 1, epochs: 3, ensemble: 0, minElementShare: 0.5 })).rejects.toMatchObject({
      code: 'failed_precondition',
      field: 'minElementShare',
      message: expect.stringMatching(/only 25 of 40 heats analysed every input element; at least 36 are needed \(15 of 40 heats left out: they lack an input element \(B on 15\)/),
    });
    expect((await api['jominy.models.list']({})).length).toBe(before);
    // at the default 80 % B (62.5 % analysed) is not an input, and every heat is used
    const { modelId } = await finished((await api['jominy.models.train']({ datasetId: ds.id, seed: 1, maxHidden: 1, epochs: 3, ensemble: 0 })).id);
    expect((await api['jominy.models.get']({ id: modelId })).inputHeats).toMatchObject({ usedHeats: 40, leftOut: 0, dropped: [{ element: 'B', measured: 25 }] });
  });
});
