import { beforeAll, describe, expect, it } from 'vitest';
import { appPerFile, navButton } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';
import { plantLikeJominyCsv } from '../helpers/plant-jominy-csv.js';
import { phrase } from '../../core/api/phrase.js';
import { english } from '../../core/runtime/english.js';

/**
 * The Design page says what the core now returns. A session made with a predictor trained on
 * synthetic data carries a "synthetic" badge (in the list and its header), one whose label was not recorded says so,
 * one on real data neither. A design's value beyond the predictor's points (the plant-like fixture ends at J20,
 * 31.75 mm, so 35–50 mm hold its end value) carries its mark `~` beside it, no interval there, a gap in the chart's
 * band, and the footnote under the table; a target below 20 HRC is refused by the form in the service's words.
 */
describe('Jominy design: point marks and the synthetic label', () => {
  const s = appPerFile();
  const ids = { synthetic: 0, plant: 0, unknown: 0, plantModel: 0, synthModel: 0, evaluation: 0 };
  const ga = { population: 8, generations: 2, topK: 2 };

  beforeAll(async () => {
    const api = localClient(s.ctx);
    const train = async (datasetId: number, ensemble: number) => {
      const end = await s.ctx.jobs.wait((await api['jominy.models.train']({ datasetId, seed: 2, maxHidden: 2, epochs: 10, ensemble })).id);
      expect(end.state).toBe('done');
      return (end.result as { modelId: number }).modelId;
    };
    const design = async (modelId: number, name: string, hardness: (number | null)[]) => {
      const end = await s.ctx.jobs.wait((await api['jominy.design']({ modelId, name, target: { kind: 'curve', hardness }, settings: { ga }, seed: 4 })).id);
      expect(end.state).toBe('done');
      return (end.result as { sessionId: number }).sessionId;
    };
    const synthModel = await train((await api['jominy.datasets.synth']({ n: 120, seed: 29 })).id, 0);
    ids.synthetic = await design(synthModel, 'Synthetic run', [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, 28, 27, 26, 25]);
    ids.synthModel = synthModel;
    const evaluated = await s.ctx.jobs.wait((await api['jominy.evaluate']({ modelId: synthModel, objective: 'base', sweep: false, population: 8, generations: 2, maxTargets: 2, threads: 1, seed: 1 })).id);
    expect(evaluated.state).toBe('done');
    ids.evaluation = (evaluated.result as { evaluationId: number }).evaluationId;

    // the fixture's heats without its "# synthetic:" line: imported as a lab's own data (not synthetic)
    const real = plantLikeJominyCsv({ n: 150, seed: 30 }).text.split('\n').filter((l) => !l.startsWith('# synthetic:')).join('\n');
    const uploadId = s.ctx.uploads.saveBytes(Buffer.from(real));
    // its few readings below 20 HRC (soft heats' ends) left empty and counted, as a lab imports such a file
    const plant = await api['jominy.datasets.import']({ upload: { uploadId, name: 'plant.csv' }, belowScale: 'empty' });
    expect(plant.synthetic).toBe(false);
    ids.plantModel = await train(plant.id, 3);
    // the target stops at 30 mm: 35–50 mm lie beyond the predictor's last point (refused there), their values held
    ids.plant = await design(ids.plantModel, 'Plant run', [52, 51, 49, 46, 42, 39, 37, 35, 32, 30, 29, null, null, null, null]);
    // a session whose label was not recorded (its predictor deleted before migration 031 kept it): as the store has it
    ids.unknown = (await api['jominy.sessions.duplicate']({ id: ids.plant })).id;
    s.ctx.db.prepare('UPDATE design_sessions SET synthetic = NULL WHERE id = ?').run(ids.unknown);
    await api['jominy.sessions.rename']({ id: ids.unknown, name: 'Label not recorded' });
  }, 240_000);

  it('the sessions list and the session header carry the synthetic label', async () => {
    const { page } = s;
    const api = localClient(s.ctx);
    expect((await api['jominy.sessions.list']({})).map((x) => [x.id, x.synthetic])).toEqual(
      expect.arrayContaining([[ids.synthetic, true], [ids.plant, false], [ids.unknown, null]]),
    );
    await page.reload();
    await navButton(page, 'Jominy design').click();
    await page.getByRole('tab', { name: 'Design' }).click();
    await expect.poll(() => page.getByTestId(`session-synthetic-${ids.synthetic}`).textContent()).toBe('synthetic');
    expect(await page.getByTestId(`session-synthetic-${ids.unknown}`).textContent()).toBe('synthetic: not recorded');
    expect(await page.getByTestId(`session-synthetic-${ids.plant}`).count()).toBe(0);

    await page.getByTestId('session-table').getByRole('row', { name: /^Synthetic run/ }).getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('session-synthetic').textContent()).toBe('synthetic');
    expect(await page.getByTestId('session-synthetic').getAttribute('title')).toBe("Made with a predictor trained on synthetic data: the generator's numbers, not steel's");
  });

  it('a held value carries its mark, no interval and the footnote; the chart leaves a gap in the band there', async () => {
    const { page } = s;
    const session = await localClient(s.ctx)['jominy.sessions.get']({ id: ids.plant });
    expect(session.synthetic).toBe(false);
    expect(session.results.map((r) => r.rank)).toEqual([1, 2]);
    const held = [11, 12, 13, 14];
    for (const r of session.results) expect(r.marks!.flatMap((m, i) => (m === 'held' ? [i] : []))).toEqual(held);

    await page.locator('label', { hasText: /^Predictor/ }).locator('select').selectOption(String(ids.plantModel));
    await page.getByTestId('session-table').getByRole('row', { name: /^Plant run/ }).getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('session-synthetic').count()).toBe(0);
    const notes = page.getByTestId('design-mark-note');
    await expect.poll(() => notes.first().textContent()).toBe(
      "~ at 35, 40, 45, 50 mm (rank 1, 2): beyond the predictor's first or last point (its dataset did not reach there): the end value is held, not predicted, and not designed for; no interval there.",
    );
    // held is the only kind these seeded designs carry (no capped or sub-20 value): one footnote, one entry per row
    for (const r of session.results) expect(r.marks!.filter(Boolean)).toEqual(['held', 'held', 'held', 'held']);
    expect(await notes.count()).toBe(1);
    expect(await page.getByTestId('result-marks-1').textContent()).toBe('~ 35, 40, 45, 50 mm');
    expect(await page.getByTestId('result-marks-2').textContent()).toBe('~ 35, 40, 45, 50 mm');
    // the ±90 % mean over the 11 distances with a prediction: the 4 held ones have no interval and are not averaged in
    for (const r of session.results) {
      const iv = r.interval!;
      const at = iv.hi.map((_, i) => i).filter((i) => !r.marks![i]);
      expect(at).toHaveLength(11);
      const half = at.reduce((a, i) => a + (iv.hi[i] - iv.lo[i]) / 2, 0) / 11;
      const all = iv.hi.reduce((a, hi, i) => a + (hi - iv.lo[i]) / 2, 0) / 15;
      expect(half.toFixed(2)).not.toBe(all.toFixed(2)); // the old figure, over all 15, differs here
      expect(await page.getByTestId(`result-interval-${r.rank}`).textContent()).toBe(half.toFixed(2));
      expect(await page.getByTestId(`result-interval-${r.rank}`).getAttribute('title')).toBe('over the 11 distances with a prediction');
    }
    const best = session.results[0];

    // the selected design's row: the mark beside each held value, "–" in both interval rows there, numbers elsewhere
    expect(best.interval).toBeTruthy();
    for (const i of held) {
      expect(await page.getByTestId(`design-value-${i}`).getAttribute('data-mark')).toBe('~');
      expect(await page.getByTestId(`design-value-${i}`).textContent()).toBe(best.profile[i].toFixed(1));
      expect(await page.getByTestId(`design-lo-${i}`).textContent()).toBe('–');
      expect(await page.getByTestId(`design-hi-${i}`).textContent()).toBe('–');
    }
    const free = 4; // 9 mm, a prediction
    expect(await page.getByTestId(`design-lo-${free}`).textContent()).toBe(best.interval!.lo[free].toFixed(1));
    expect(await page.getByTestId(`design-value-${free}`).getAttribute('data-mark')).toBeNull();
    expect(await page.getByTestId('design-row-mark-note').first().textContent()).toBe(
      "~ at 35, 40, 45, 50 mm (rank 1): beyond the predictor's first or last point (its dataset did not reach there): the end value is held, not predicted, and not designed for; no interval there.",
    );

    const chart = page.getByTestId('jominy-chart');
    await expect.poll(async () => JSON.parse((await chart.getAttribute('data-gaps')) ?? '{}')).toEqual({ '90 % interval of #1 (lo)': held, '90 % interval of #1': held });
    expect(JSON.parse((await chart.getAttribute('data-hollow')) ?? '{}')).toEqual({ 'Design #1': held });
  });

  it('a target below 20 HRC is refused by the form in the design service\'s words', async () => {
    const { page } = s;
    await page.getByTestId('target-9').fill('19.5');
    await page.getByTestId('run-design').click();
    const words = english(phrase('jominyErrors.targetBelowScale', { points: '25 mm: 19.5 HRC', min: 20 }));
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Rockwell' }).textContent()).toBe(words);
    expect(words).toBe('the target asks for less than 20 HRC at 25 mm: 19.5 HRC: the Rockwell C scale ends at 20 HRC, no HRC reading exists below it, so it cannot say anything there — raise those values to 20 HRC or more, or leave those distances empty');
    // nothing was sent: no new session
    expect((await localClient(s.ctx)['jominy.sessions.list']({})).length).toBe(3);
  });

  it("an evaluation made from synthetic data says so in its list and its result", async () => {
    const { page } = s;
    expect((await localClient(s.ctx)['jominy.evaluations.get']({ id: ids.evaluation })).synthetic).toBe(true);
    await page.getByRole('tab', { name: 'Predictor' }).click();
    await page.getByTestId('model-select').selectOption(String(ids.synthModel));
    const stored = page.locator('label', { hasText: 'Stored evaluations' }).locator('select');
    await expect.poll(() => stored.locator(`option[value="${ids.evaluation}"]`).textContent()).toMatch(/^#\d+ .+ · synthetic \(/);
    await stored.selectOption(String(ids.evaluation));
    await expect.poll(() => page.getByTestId('evaluation-synthetic').textContent()).toBe('synthetic');
    expect(await page.getByTestId('evaluation-synthetic').getAttribute('title')).toBe("Its predictor or its target heats were synthetic: the scores are the generator's world's, not steel's");
  });
});
