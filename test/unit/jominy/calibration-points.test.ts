import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeDatabase, openDatabase } from '../../../core/store/index.js';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { writeJominyCsv } from '../../../core/jominy/csv.js';
import { DISTANCES_MM, ELEMENTS } from '../../../core/jominy/elements.js';
import { cliInTempFolder } from '../../helpers/cli.js';
import { storeVariant } from '../../helpers/jominy-stored-predictor.js';

const { dir, data, cli } = cliInTempFolder('ferrolab-jominy-calpoints-');

// A plant that measures six distances: the predictor's held-out coverage is counted on the readings the test heats
// have there, and `models show` gives it at those six distances. Fails before: 675 cells (45 test heats × the 15
// standard distances, 405 of them PCHIP interpolations) and a coverage stated at 3, 7, 11 … mm.
describe('ferrolab jominy: the interval coverage of a plant dataset is counted on its readings', () => {
  it('models show gives cells and coverage at the model points; one stored before says its cells were interpolated', async () => {
    const keep = [1.5, 5, 9, 15, 25, 50];
    const cols = keep.map((d) => (DISTANCES_MM as readonly number[]).indexOf(d));
    const samples = generateSynthetic({ n: 150, seed: 3 }).map((s) => ({ ...s, hardness: cols.map((c) => s.hardness[c]) }));
    const layout = { distancesMm: keep, labels: keep.map((d) => `J${d}`), unit: 'mm' as const, elements: [...ELEMENTS] };
    const csv = join(dir, 'six.csv');
    writeFileSync(csv, writeJominyCsv(samples, { synthetic: 'synthetic heats at six distances' }, layout));
    expect((await cli('jominy', 'train', csv, '--seed', '2', '--max-hidden', '2', '--epochs', '15', '--ensemble', '3')).code).toBe(0);
    const shown = JSON.parse((await cli('jominy', 'models', 'show', '1', '--json')).out);
    const u = shown.uncertainty;
    expect(u.pointsMm).toEqual(keep);
    expect(u.interpolatedCells).toBe(false);
    expect(u.cells).toBe(shown.splitHeats.test * 6);
    expect(u.coveragePoints).toHaveLength(6);
    const text = (await cli('jominy', 'models', 'show', '1')).out;
    const head = text.split('\n').findIndex((l) => l.startsWith('  mm  coverage  mean sd HRC'));
    const table = text.split('\n').slice(head + 1, head + 7);
    // k per distance: each point's own (45 held-out readings ≥ 20), the lowest coverage stated beside the pooled one
    expect(u.pointRule).toEqual(keep.map(() => 'own'));
    expect(u.cellsPoints).toEqual(keep.map(() => shown.splitHeats.test));
    const low = Math.min(...u.coveragePoints);
    expect(u.coverageLowest).toEqual({ coverage: low, distanceMm: keep[u.coveragePoints.indexOf(low)] });
    expect(text).toContain(`lowest per distance: ${(100 * low).toFixed(1)} % at ${keep[u.coveragePoints.indexOf(low)]} mm`);
    expect(table.map((l) => l.trim().split(/\s+/).at(-1))).toEqual(keep.map(() => 'own'));
    expect(table.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual(keep);

    const { db } = openDatabase(join(data, 'ferrolab.sqlite'));
    const old = storeVariant(db, data, 1, 'before-measured-cells');
    closeDatabase(db);
    const before = JSON.parse((await cli('jominy', 'models', 'show', String(old), '--json')).out).uncertainty;
    expect(before.pointsMm).toEqual([...DISTANCES_MM]);
    expect(before.interpolatedCells).toBe(true);
    expect((await cli('jominy', 'models', 'show', String(old))).out).toContain("note: stored before calibrations were scored on measured readings: its cells are the test heats' curves read at the 15 standard distances by PCHIP");
    // its prediction names no lowest distance: that could be one no heat measured (review 25f; fails before: 3 mm etc.)
    const chem = Object.entries(samples[0].chemistry).map(([el, v]) => `${el}=${v}`).join(',');
    const pOld = JSON.parse((await cli('jominy', 'predict', '--model', String(old), '--chem', chem, '--json')).out);
    expect(pOld.interval.coverageLowest).toBeNull();
    const pNew = JSON.parse((await cli('jominy', 'predict', '--model', '1', '--chem', chem, '--json')).out);
    expect(pNew.interval.coverageLowest).toEqual(u.coverageLowest);
  });

  it('one stored before on the 15 standard distances, a point skipped, is not said to have interpolated cells', async () => {
    // 45 mm measured by 8 heats of 150: the model skips it; the old calibration read the standard layout as measured
    const samples = generateSynthetic({ n: 150, seed: 4 }).map((s, k) => ({ ...s, hardness: s.hardness.map((h, i) => (i === 13 && k >= 8 ? NaN : h)) }));
    const csv = join(dir, 'skip45.csv');
    writeFileSync(csv, writeJominyCsv(samples, { synthetic: 'synthetic heats, 45 mm mostly unmeasured' }));
    const tr = await cli('jominy', 'train', csv, '--seed', '2', '--max-hidden', '2', '--epochs', '15', '--ensemble', '3', '--json');
    expect(tr.code, tr.err).toBe(0);
    const id = Number(JSON.parse(tr.out).modelId ?? JSON.parse(tr.out).id);
    const shown = JSON.parse((await cli('jominy', 'models', 'show', String(id), '--json')).out);
    expect(shown.pointsLayout.skipped.map((p: { distanceMm: number }) => p.distanceMm)).toEqual([45]);
    const { db } = openDatabase(join(data, 'ferrolab.sqlite'));
    const old = storeVariant(db, data, id, 'before-measured-cells');
    closeDatabase(db);
    expect(JSON.parse((await cli('jominy', 'models', 'show', String(old), '--json')).out).uncertainty.interpolatedCells).toBe(false);
  });
});
