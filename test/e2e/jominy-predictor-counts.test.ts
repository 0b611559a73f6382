import { describe, expect, it } from 'vitest';
import { appPerFile } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';
import { english } from '../../core/runtime/english.js';
import { plantLikeJominyCsv } from '../helpers/plant-jominy-csv.js';

/**
 * A trained predictor's page on plant-like data with retests (a heat's second row, same heat id): the split and the
 * held-out heats counted as heats with their rows beside them, the per-distance calibration k and its held-out
 * readings, and the weak-point warnings — each the number the API returns for that predictor, as the page writes it.
 */

/** The plant file with its first `n` HRC heats retested: a second row, same heat id, every reading 0.2 HRC higher. */
function withRetests(text: string, n: number): { text: string; retests: number } {
  const lines = text.trimEnd().split('\n');
  const head = lines.findIndex((l) => !l.startsWith('#'));
  const cols = lines[head].split(',');
  const scale = cols.indexOf('scale');
  const out: string[] = lines.slice(0, head + 1);
  let retests = 0;
  for (const line of lines.slice(head + 1)) {
    out.push(line);
    const cells = line.split(',');
    if (retests >= n || cells[scale] !== 'HRC') continue;
    out.push(cells.map((c, k) => (k > scale && c !== '' ? (Number(c) + 0.2).toFixed(1) : c)).join(','));
    retests++;
  }
  return { text: out.join('\n') + '\n', retests };
}

describe('Jominy predictor page: counts and calibration end to end', () => {
  const s = appPerFile();

  it('shows heats beside rows, the per-distance k row and the weak-point warnings, as the API gives them', async () => {
    const { page } = s;
    const api = localClient(s.ctx);
    const plant = plantLikeJominyCsv({ n: 150, seed: 3 });
    const { text, retests } = withRetests(plant.text, 12);
    expect(retests).toBe(12);
    const ds = await api['jominy.datasets.import']({ upload: { uploadId: s.ctx.uploads.saveBytes(Buffer.from(text)), name: 'retests.csv' } });
    expect([ds.heats, ds.sampleCount]).toEqual([150, 162]);
    const end = await s.ctx.jobs.wait((await api['jominy.models.train']({ datasetId: ds.id, seed: 5, maxHidden: 1, epochs: 3, ensemble: 3 })).id);
    expect(end.state).toBe('done');
    const m = await api['jominy.models.get']({ id: (end.result as { modelId: number }).modelId });
    const h = m.splitHeats!;
    const b = m.baselines!;
    const u = m.uncertainty!;
    // what makes the page's figures worth checking: retests in the split, a k per distance, weak networks (one
    // hidden unit and 3 epochs leave some networks no better than the grade mean: 3 here)
    expect(h.train + h.validation + h.test).toBe(150);
    expect(m.split.train + m.split.validation + m.split.test).toBe(162);
    expect(u.kPoints).not.toBeNull();
    expect(m.weakPoints.length).toBeGreaterThan(0);

    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Jominy design' }).click();
    // the data page: 150 heats, 162 rows
    await page.getByRole('tab', { name: 'Data' }).click();
    const row = page.getByTestId('dataset-table').getByRole('row').filter({ has: page.getByRole('button', { name: 'retests' }) });
    await expect.poll(async () => (await row.getByTestId('dataset-heats').textContent())?.replace(/\s+/g, ' ').trim()).toBe('150 (162 rows)');

    await page.getByRole('tab', { name: 'Predictor' }).click();
    await page.getByTestId('model-select').selectOption(String(m.id));
    const split = page.getByTestId('model-split');
    await expect.poll(() => split.textContent()).toContain(`${h.train} train / ${h.validation} validation / ${h.test} test heats (${m.split.train} / ${m.split.validation} / ${m.split.test} rows)`);
    const heldOut = b.testHeats === b.testRows ? `${b.testHeats} test heats` : `${b.testHeats} test heats (${b.testRows} rows)`;
    expect(b.testHeats).toBe(h.test);
    expect(await page.getByTestId('skill-heats').textContent()).toBe(`Held-out (${heldOut}): skill`);

    // the weak-point warnings: one per weak network, its words and figures
    const weak = page.getByTestId('weak-point');
    expect(await weak.allTextContents()).toEqual(m.weakPoints.map((w) => english(w.phrase)));

    // the calibration: k per distance (its own quantile, or the pooled one widened) and the held-out readings there
    const table = page.getByTestId('uncertainty-k').locator('xpath=following-sibling::table[1]');
    const cells = async (label: string) => (await table.getByRole('row').filter({ has: page.getByRole('cell', { name: label, exact: true }) }).getByRole('cell').allTextContents()).slice(1);
    expect(await cells('k')).toEqual(u.kPoints!.map((k) => k.toFixed(2)));
    expect(await cells('held-out readings')).toEqual(u.cellsPoints!.map(String));
    expect(u.cellsPoints!.reduce((a, n) => a + n, 0)).toBe(u.cells);
    const rules = await table.getByRole('row').filter({ has: page.getByRole('cell', { name: 'k', exact: true }) }).getByRole('cell').evaluateAll((tds) => tds.slice(1).map((td) => td.className.includes('warn')));
    expect(rules).toEqual(u.pointRule!.map((r) => r !== 'own'));
    expect(await page.getByTestId('uncertainty-k').textContent()).toContain(`where ${u.minPointCells} or more held-out readings are there, else the pooled k (${u.scale.toFixed(2)})`);
    // the ensemble's training heats and the calibration's held-out heats, each with its rows
    const summary = (await page.getByTestId('uncertainty-summary').textContent())!.replace(/\s+/g, ' ');
    expect(u.heats).toBe(h.test);
    expect(summary).toContain(`on ${u.fitHeats} training heats (${u.fitRows} rows)`);
    expect(summary).toContain(u.coverageWhy === 'measured' ? `of ${u.cells} held-out cells (${u.heats} test heats (${u.testRows} rows);` : `(${u.cells} held-out cells, ${u.heats} test heats (${u.testRows} rows);`);
  }, 240_000);
});
