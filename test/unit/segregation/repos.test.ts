import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { tempContext } from '../../helpers/temp.js';
import { localClient } from '../../../core/app/dispatch.js';
import { createPointsRepo } from '../../../core/store/repos/points-repo.js';
import { createReadingsRepo } from '../../../core/store/repos/readings-repo.js';
import { ApiError } from '../../../core/api/errors.js';

let ctx: ReturnType<typeof tempContext>;
let api: ReturnType<typeof localClient>;
let billetId: number;

beforeEach(async () => {
  ctx = tempContext();
  api = localClient(ctx);
  billetId = (await api['billets.create']({ name: 'B-42', nominalDiameterMm: 600 })).id;
});
afterEach(async () => ctx.dispose());

const upload = (text: string, name = 'readings.csv') => ({ uploadId: ctx.uploads.saveBytes(Buffer.from(text)), name });
const readingRows = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM carbon_readings').get() as { n: number }).n;
const rejection = async (p: Promise<unknown>) => {
  try { await p; } catch (err) { return err as ApiError; }
  throw new Error('expected a rejection');
};

describe('points repo and contract', () => {
  it('lays out 85 hex points and lists them in label order with empty stats', async () => {
    const l = await api['points.layout']({ billetId });
    expect(l.points).toHaveLength(85);
    expect(l.points[0]).toMatchObject({ label: 'P01', n: 0, meanWtPct: null, sdWtPct: null, source: 'layout:hex85', sortOrder: 1 });
    expect(l.points[42]).toMatchObject({ label: 'P43', xMm: 0, yMm: 0 });
    expect((await api['billets.get']({ id: billetId })).pointCount).toBe(85);
    const grid = await api['points.layout']({ billetId, pattern: 'diameters', count: 21 });
    expect(grid.points).toHaveLength(21);
  });

  it('refuses to replace points that have readings unless confirmed, then replaces in one go', async () => {
    await api['points.layout']({ billetId });
    await api['readings.set']({ billetId, label: 'P05', values: [0.45] });
    const err = await rejection(api['points.layout']({ billetId, pattern: 'grid' }));
    expect(err).toMatchObject({ code: 'failed_precondition', field: 'confirmReplace', details: { readingCount: 1 } });
    expect((await api['points.list']({ billetId })).points).toHaveLength(85);
    expect(readingRows()).toBe(1);
    const l = await api['points.layout']({ billetId, pattern: 'rings', count: 37, confirmReplace: true });
    expect(l.points).toHaveLength(37);
    expect(readingRows()).toBe(0);
  });

  it('readings.set keeps replicates individually and reports mean ± sd; clear removes them', async () => {
    await api['points.layout']({ billetId });
    const p = await api['readings.set']({ billetId, label: 'P10', values: [0.45, 0.47, 0.46], operator: 'AK' });
    expect(p.readings.map((r) => [r.replicateNo, r.carbonWtPct])).toEqual([[1, 0.45], [2, 0.47], [3, 0.46]]);
    expect(p.n).toBe(3);
    expect(p.meanWtPct).toBeCloseTo(0.46, 12);
    expect(p.sdWtPct).toBeCloseTo(0.01, 12);
    const again = await api['readings.set']({ billetId, label: 'P10', values: [0.5] });
    expect(again).toMatchObject({ n: 1, meanWtPct: 0.5, sdWtPct: null });
    expect((await api['readings.clear']({ billetId, label: 'P10' })).n).toBe(0);
    const bad = await rejection(api['readings.set']({ billetId, label: 'P10', values: [2.6] }));
    expect(bad).toMatchObject({ code: 'invalid_argument', field: 'values.0' });
    // a typed 0 is no steel's carbon (what an analyser shows for an empty burn): refused as the CSV import refuses it
    const zero = await rejection(api['readings.set']({ billetId, label: 'P10', values: [0.45, 0] }));
    expect(zero).toMatchObject({ code: 'invalid_argument', message: 'P10 value 2: carbon 0 wt.% is no reading of a steel (an analyser shows 0 for an empty or failed burn): leave the value out, or clear the point', phrase: { code: 'errors.readings.valueZero', params: { label: 'P10', n: 2 } } });
    expect((await api['points.list']({ billetId })).points.find((q) => q.label === 'P10')!.n).toBe(0);
    expect(await rejection(api['readings.set']({ billetId, label: 'P99', values: [0.4] }))).toMatchObject({ code: 'not_found' });
  });

  it('saves an edited set: move, add, delete, label swap; deleting readings needs confirmation', async () => {
    const l = await api['points.layout']({ billetId, pattern: 'diameters', count: 5 });
    const [a, b, c, d, e] = l.points;
    await api['readings.set']({ billetId, label: e.label, values: [0.3] });
    // move a, swap labels of b and c, delete d, add a new point
    const saved = await api['points.save']({
      billetId,
      points: [
        { id: a.id, label: a.label, xMm: a.xMm + 5, yMm: a.yMm },
        { id: b.id, label: c.label, xMm: b.xMm, yMm: b.yMm },
        { id: c.id, label: b.label, xMm: c.xMm, yMm: c.yMm },
        { id: e.id, label: e.label, xMm: e.xMm, yMm: e.yMm },
        { label: 'X1', xMm: 10, yMm: -20 },
      ],
    });
    expect(saved.points.map((p) => [p.label, p.source])).toEqual([
      [a.label, 'edited'], [c.label, b.source], [b.label, c.source], [e.label, e.source], ['X1', 'added'],
    ]);
    expect(saved.points[0].xMm).toBeCloseTo(a.xMm + 5, 9);
    expect(saved.points.find((p) => p.label === e.label)!.n).toBe(1);
    expect(saved.points.some((p) => p.id === d.id)).toBe(false);
    // delete the point with a reading: refused, nothing changed
    const keep = saved.points.filter((p) => p.label !== e.label).map(({ id, label, xMm, yMm }) => ({ id, label, xMm, yMm }));
    const err = await rejection(api['points.save']({ billetId, points: keep }));
    expect(err).toMatchObject({ code: 'failed_precondition', details: { readingCount: 1, labels: [e.label] } });
    expect((await api['points.list']({ billetId })).points).toHaveLength(5);
    const done = await api['points.save']({ billetId, points: keep, confirmDeleteReadings: true });
    expect(done.points).toHaveLength(4);
    expect(readingRows()).toBe(0);
  });

  it('points.move writes exactly one point row: every other point and every reading stays byte-for-byte', async () => {
    await api['points.layout']({ billetId });
    await api['readings.set']({ billetId, label: 'P10', values: [0.45, 0.47] });
    await api['readings.set']({ billetId, label: 'P11', values: [0.41] });
    const rows = () => ctx.db.prepare('SELECT * FROM sampling_points WHERE billet_id = ? ORDER BY id').all(billetId) as { label: string }[];
    const readings = () => ctx.db.prepare('SELECT * FROM carbon_readings ORDER BY id').all();
    const writes = () => (ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = rows();
    const readingsBefore = readings();
    const w0 = writes();
    const p = await api['points.move']({ billetId, label: 'P10', xMm: 12.5, yMm: -3.25 });
    // one sampling_points row + the billet's updated_at: a drag no longer rewrites all 85 points
    expect(writes() - w0).toBe(2);
    expect(p).toMatchObject({ label: 'P10', xMm: 12.5, yMm: -3.25, source: 'edited', n: 2 });
    const after = rows();
    expect(after).toHaveLength(85);
    after.forEach((r, i) => {
      if (r.label === 'P10') expect(r).toMatchObject({ x_mm: 12.5, y_mm: -3.25, source: 'edited', sort_order: 10 });
      else expect(r).toEqual(before[i]);
    });
    expect(readings()).toEqual(readingsBefore);
    // the whole-set save of the same move (what a drag used to send) writes every row
    const w1 = writes();
    const all = (await api['points.list']({ billetId })).points;
    await api['points.save']({ billetId, points: all.map((q) => ({ id: q.id, label: q.label, xMm: q.label === 'P11' ? 1 : q.xMm, yMm: q.yMm })) });
    expect(writes() - w1).toBeGreaterThanOrEqual(170);
    const err = await rejection(api['points.move']({ billetId, label: 'P99', xMm: 0, yMm: 0 }));
    expect(err).toMatchObject({ code: 'not_found', field: 'label' });
  });

  it('points.patch renames (and moves) exactly one point row; its readings follow it; a taken label is refused', async () => {
    await api['points.layout']({ billetId });
    await api['readings.set']({ billetId, label: 'P10', values: [0.45, 0.47] });
    const rows = () => ctx.db.prepare('SELECT * FROM sampling_points WHERE billet_id = ? ORDER BY id').all(billetId) as { label: string }[];
    const writes = () => (ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = rows();
    const w0 = writes();
    const p = await api['points.patch']({ billetId, label: 'P10', set: { label: 'C10', xMm: 1.5 } });
    expect(writes() - w0).toBe(2); // the point's row + the billet's updated_at
    expect(p).toMatchObject({ label: 'C10', xMm: 1.5, source: 'edited', n: 2 });
    expect(p.readings.map((r) => r.carbonWtPct)).toEqual([0.45, 0.47]);
    rows().forEach((r, i) => (r.label === 'C10' ? expect(before[i]).toMatchObject({ label: 'P10' }) : expect(r).toEqual(before[i])));
    expect(await rejection(api['points.patch']({ billetId, label: 'C10', set: { label: 'p11' } }))).toMatchObject({ code: 'invalid_argument', field: 'set.label' });
    expect(await rejection(api['points.patch']({ billetId, label: 'C10', set: {} }))).toMatchObject({ code: 'invalid_argument' });
    expect(rows().find((r) => r.label === 'C10')).toBeDefined();
  });

  it('refuses duplicate labels and foreign ids without writing anything', async () => {
    const l = await api['points.layout']({ billetId, pattern: 'diameters', count: 5 });
    const pts = l.points.map(({ id, label, xMm, yMm }) => ({ id, label, xMm, yMm }));
    expect(await rejection(api['points.save']({ billetId, points: [...pts, { label: pts[0].label.toLowerCase(), xMm: 0, yMm: 1 }] }))).toMatchObject({ code: 'invalid_argument', field: 'points.5.label' });
    expect(await rejection(api['points.save']({ billetId, points: [{ id: 99999, label: 'Q', xMm: 0, yMm: 0 }] }))).toMatchObject({ code: 'not_found' });
    expect((await api['points.list']({ billetId })).points.map((p) => p.label)).toEqual(pts.map((p) => p.label));
  });
});

describe('readings repo transactions', () => {
  it('importRows is all-or-nothing: a row for a missing point rolls back every earlier row', async () => {
    await api['points.layout']({ billetId });
    const repo = createReadingsRepo(ctx.db);
    repo.setValues(billetId, 'P01', [0.2]);
    expect(() =>
      repo.importRows(billetId, [
        { label: 'P01', replicateNo: 1, carbonWtPct: 0.41 },
        { label: 'P02', replicateNo: 1, carbonWtPct: 0.42 },
        { label: 'NOPE', replicateNo: 1, carbonWtPct: 0.43 },
      ], 'replace', 'test'),
    ).toThrow(/no sampling point "NOPE"/);
    const pts = createPointsRepo(ctx.db).list(billetId);
    expect(pts.find((p) => p.label === 'P01')!.readings.map((r) => r.carbonWtPct)).toEqual([0.2]);
    expect(readingRows()).toBe(1);
  });

  it('append numbers new replicates after existing ones; replace swaps them', async () => {
    await api['points.layout']({ billetId });
    const repo = createReadingsRepo(ctx.db);
    repo.setValues(billetId, 'P01', [0.2, 0.21]);
    repo.importRows(billetId, [{ label: 'P01', replicateNo: 1, carbonWtPct: 0.22 }], 'append', 'test');
    expect(createPointsRepo(ctx.db).get(billetId, 'P01').readings.map((r) => [r.replicateNo, r.carbonWtPct])).toEqual([[1, 0.2], [2, 0.21], [3, 0.22]]);
    repo.importRows(billetId, [{ label: 'P01', replicateNo: 1, carbonWtPct: 0.3 }], 'replace', 'test');
    expect(createPointsRepo(ctx.db).get(billetId, 'P01').readings.map((r) => [r.replicateNo, r.carbonWtPct])).toEqual([[1, 0.3]]);
  });

  it('append numbers a file\'s marked replicates after the stored ones, as unmarked rows; preview and import agree (task 25-G)', async () => {
    await api['points.layout']({ billetId });
    await api['readings.importCsv']({ billetId, upload: upload('Sample,C\nP05-R1,0.45\nP05-R2,0.46\n'), unit: 'wt_pct' });
    // a second session whose analyser restarts its marks, one failed burn deleted: appended as burns 3 and 4
    const text = 'Sample,C\nP05-R1,0.47\nP05-R3,0.48\nP06-R2,0.40\n';
    const preview = await api['readings.previewCsv']({ billetId, upload: upload(text), mode: 'append' });
    expect([preview.ok, preview.errors]).toEqual([true, []]);
    // fails before: refused as a mark on a stored replicate (and "P05-R3", "P06-R2" as gaps)
    expect(await api['readings.importCsv']({ billetId, upload: upload(text), mode: 'append', unit: 'wt_pct' })).toMatchObject({ imported: 3, points: 2 });
    const stored = (await api['points.list']({ billetId })).points.filter((p) => p.n > 0).map((p) => [p.label, p.readings.map((r) => [r.replicateNo, r.carbonWtPct])]);
    expect(stored).toEqual([['P05', [[1, 0.45], [2, 0.46], [3, 0.47], [4, 0.48]]], ['P06', [[1, 0.4]]]]);
    // a replicate column with marks, appended: the column's numbers follow the stored ones too (before: the preview was
    // ok and the import refused the row as replicate 2 stored twice)
    const col = 'Sample,Rep,C\nP06,1,0.41\nP06-R2,2,0.42\n';
    expect((await api['readings.previewCsv']({ billetId, upload: upload(col), mode: 'append' })).ok).toBe(true);
    await api['readings.importCsv']({ billetId, upload: upload(col), mode: 'append', unit: 'wt_pct' });
    expect((await api['points.list']({ billetId })).points.find((p) => p.label === 'P06')!.readings.map((r) => [r.replicateNo, r.carbonWtPct])).toEqual([[1, 0.4], [2, 0.41], [3, 0.42]]);
    expect(readingRows()).toBe(7);
  });

  it('appending, the preview shows the replicate numbers the import stores; replacing, the file\'s (task 25-I)', async () => {
    await api['points.layout']({ billetId });
    await api['readings.importCsv']({ billetId, upload: upload('Sample,C\nP05-R1,0.45\nP05-R2,0.46\nP07-R1,0.41\nP07-R3,0.42\n'), unit: 'wt_pct' });
    // a session restarting its marks, out of order, and a point with nothing stored yet
    const text = 'Sample,C\nP05-R2,0.47\nP05-R1,0.48\nP06,0.44\nP07,0.43\n';
    const shown = (p: { sample: { label: string; replicateNo: number; carbonWtPct: number }[] }) => p.sample.map((s) => [s.label, s.replicateNo, s.carbonWtPct]);
    const appending = await api['readings.previewCsv']({ billetId, upload: upload(text), mode: 'append' });
    // fails before: the preview showed the file's 2, 1, 1, 1 where the import stored 4, 3, 1, 3
    expect([appending.ok, shown(appending)]).toEqual([true, [['P05', 4, 0.47], ['P05', 3, 0.48], ['P06', 1, 0.44], ['P07', 3, 0.43]]]);
    const replacing = await api['readings.previewCsv']({ billetId, upload: upload(text), mode: 'replace' });
    expect(shown(replacing)).toEqual([['P05', 2, 0.47], ['P05', 1, 0.48], ['P06', 1, 0.44], ['P07', 1, 0.43]]);
    await api['readings.importCsv']({ billetId, upload: upload(text), mode: 'append', unit: 'wt_pct' });
    const stored = (await api['points.list']({ billetId })).points.flatMap((p) => p.readings.map((r) => [p.label, r.replicateNo, r.carbonWtPct]));
    // every previewed row is stored under the number shown
    for (const row of shown(appending)) expect(stored).toContainEqual(row);
    expect(readingRows()).toBe(8);
  });
});

describe('CSV import/export through the contract', () => {
  it('previews (delimiter, unit, mapping) and imports a good file; export round-trips it', async () => {
    await api['points.layout']({ billetId });
    const text = 'Sample name;C [ppm];S [ppm]\nP01;4520;120\nP01;4580;118\nP02;4400;110\n';
    const up = upload(text);
    // P01 twice without a replicate column: refused until the rows are declared replicates
    const undeclared = await api['readings.previewCsv']({ billetId, upload: up });
    expect([undeclared.ok, undeclared.errors]).toEqual([false, [{ line: 3, message: expect.stringMatching(/^point P01 appears on lines 2, 3: repeated labels are refused/), phrases: [{ code: 'readingsLabel.repeated', params: { label: 'P01', lines: '2, 3', column: 'Sample name' } }] }]]);
    expect((await rejection(api['readings.importCsv']({ billetId, upload: up, unit: 'ppm' }))).message).toMatch(/line 3: point P01 appears on lines 2, 3/);
    // the refused import spent its upload (tmp/ must not grow): the file is sent again
    expect((await rejection(api['readings.previewCsv']({ billetId, upload: up }))).message).toMatch(/is gone/);
    const again = upload(text);
    const pv = await api['readings.previewCsv']({ billetId, upload: again, replicates: true });
    expect(pv).toMatchObject({ delimiter: ';', decimalComma: false, headerLine: 1, rowCount: 3, pointCount: 2, ok: true, errors: [] });
    expect(pv.unit).toMatchObject({ detected: 'ppm', source: 'header', used: 'ppm' });
    expect(pv.mapping).toMatchObject({ label: 'Sample name', carbon: 'C [ppm]' });
    expect(readingRows()).toBe(0); // preview writes nothing
    const out = await api['readings.importCsv']({ billetId, upload: again, unit: 'ppm', replicates: true });
    expect(out).toEqual({ imported: 3, points: 2, unit: 'ppm', delimiter: ';', decimalComma: false });
    const p1 = (await api['points.list']({ billetId })).points[0];
    expect(p1.readings.map((r) => r.carbonWtPct)).toEqual([0.452, 0.458]);
    expect(p1.meanWtPct).toBeCloseTo(0.455, 12);
    expect(p1.sdWtPct).toBeCloseTo(Math.sqrt(2 * 0.003 ** 2), 12);
    expect(p1.readings[0].source).toBe('csv:readings.csv');

    const exp = await api['readings.exportCsv']({ billetId });
    expect(exp.fileName).toMatch(/^readings-B-42-.*\.csv$/);
    expect(exp.rows).toBe(3);
    const csv = exp.csv;
    // nothing is written to the data folder: the caller saves the text where the user asked
    expect(readdirSync(ctx.paths.reports, { recursive: true }).filter((f) => String(f).startsWith('readings-'))).toEqual([]);
    expect(csv.split('\r\n').slice(0, 2)).toEqual(['label,x_mm,y_mm,replicate,carbon_wt_pct,analyzer,operator,measured_at', `P01,${p1.xMm.toFixed(3).replace(/0+$/, '')},${p1.yMm.toFixed(3).replace(/0+$/, '')},1,0.452,,,`]);
    // re-import of the export (wt.%) replaces with identical values
    await api['readings.importCsv']({ billetId, upload: upload(csv, 'export.csv'), unit: 'wt_pct' });
    expect((await api['points.list']({ billetId })).points[0].readings.map((r) => r.carbonWtPct)).toEqual([0.452, 0.458]);
  });

  it('heat-numbered billets: 4711\'s readings are refused by 4712 naming line, column, label and billet; replicates marked R1/R2 are stored as replicates (task 25-C)', async () => {
    const h4711 = (await api['billets.create']({ name: '4711', nominalDiameterMm: 600 })).id;
    const h4712 = (await api['billets.create']({ name: '4712', nominalDiameterMm: 600 })).id;
    for (const id of [h4711, h4712]) await api['points.layout']({ billetId: id });
    const wrong = upload('Sample,C\n4711-P05,0.45\n4712-P06,0.44\n', 'heat-4711.csv');
    const pv = await api['readings.previewCsv']({ billetId: h4712, upload: wrong });
    expect([pv.ok, pv.errors]).toEqual([false, [{ line: 2, message: 'column "Sample": label "4711-P05" names billet "4711", another billet in this data folder: one file, one billet — import these readings into 4711', phrases: [{ code: 'readingsLabel.otherBillet', params: { column: 'Sample', label: '4711-P05', billet: '4711' } }] }]]);
    const err = await rejection(api['readings.importCsv']({ billetId: h4712, upload: upload('Sample,C\n4711-P05,0.45\n4712-P06,0.44\n', 'heat-4711.csv'), unit: 'wt_pct' }));
    expect([err.code, err.message]).toEqual(['invalid_argument', expect.stringContaining('line 2: column "Sample": label "4711-P05" names billet "4711"')]);
    expect(readingRows()).toBe(0);
    // two burns of P05 marked in the label, on heat 4712's own labels: replicates 1 and 2, mean ± sd as typed replicates
    // (the mark after the point: one before it, "4712-R1-P05", is refused since task 25-G as ring numbering could be)
    const out = await api['readings.importCsv']({ billetId: h4712, upload: upload('Sample,C\n4712-P05-R1,0.45\n4712-P05-R2,0.47\n4712-P06,0.44\n', 'burns.csv'), unit: 'wt_pct' });
    expect(out).toMatchObject({ imported: 3, points: 2 });
    const p5 = createPointsRepo(ctx.db).get(h4712, 'P05');
    expect(p5.readings.map((r) => [r.replicateNo, r.carbonWtPct])).toEqual([[1, 0.45], [2, 0.47]]);
    expect([p5.n, p5.meanWtPct, p5.sdWtPct]).toEqual([2, expect.closeTo(0.46, 12), expect.closeTo(Math.SQRT2 * 0.01, 12)]);
  });

  it('appending a file whose every reading is already stored is refused (it would make each a second determination, sd 0)', async () => {
    await api['points.layout']({ billetId });
    const text = 'label,carbon\nP01,0.452\nP02,0.448\nP03,0.460\n';
    await api['readings.importCsv']({ billetId, upload: upload(text, 'run1.csv'), unit: 'wt_pct', mode: 'append' });
    // the same file appended again had stored n = 2 with sd 0.0000 for every point, without a word
    const err = await rejection(api['readings.importCsv']({ billetId, upload: upload(text, 'run1 (copy).csv'), unit: 'wt_pct', mode: 'append' }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe('run1 (copy).csv: every one of its 3 readings is already stored for its point (same value): appended, each would count as a second determination of the same sample; nothing was imported');
    expect(err.phrase).toEqual({ code: 'readingsAppend.alreadyStored', params: { name: 'run1 (copy).csv', n: 3 } });
    expect(readingRows()).toBe(3);
    // a second run with new values is appended as replicates; replace mode re-imports the same file as before
    await api['readings.importCsv']({ billetId, upload: upload('label,carbon\nP01,0.452\nP02,0.450\n', 'run2.csv'), unit: 'wt_pct', mode: 'append' });
    expect((await api['points.list']({ billetId })).points.slice(0, 2).map((p) => p.readings.map((r) => r.carbonWtPct))).toEqual([[0.452, 0.452], [0.448, 0.45]]);
    await api['readings.importCsv']({ billetId, upload: upload(text, 'run1.csv'), unit: 'wt_pct', mode: 'replace' });
    expect(readingRows()).toBe(3);
  });

  it('checks a file\'s x, y against the billet\'s points: the export re-imports, a file for another layout is refused (task 24-D)', async () => {
    await api['points.layout']({ billetId });
    await api['readings.set']({ billetId, label: 'P01', values: [0.45] });
    const { csv } = await api['readings.exportCsv']({ billetId });
    const pv = await api['readings.previewCsv']({ billetId, upload: upload(csv, 'export.csv') });
    expect([pv.ok, pv.positions]).toEqual([true, { x: 'x_mm', y: 'y_mm' }]);
    // the same file after the points were laid out as a grid: its P01 is no longer where the file says
    await api['points.layout']({ billetId, pattern: 'grid', confirmReplace: true });
    const up = upload(csv, 'export.csv');
    const moved = await api['readings.previewCsv']({ billetId, upload: up });
    expect([moved.ok, moved.errors.map((e) => [e.line, e.phrases?.[0]?.code])]).toEqual([false, [[2, 'readingsPosition.elsewhere']]]);
    expect((await rejection(api['readings.importCsv']({ billetId, upload: up, unit: 'wt_pct' }))).message).toMatch(/line 2: point P01 is at \("-?\d/);
    expect(readingRows()).toBe(0);
  });

  it('refuses labels prefixed by another stored billet\'s name, reads dated ones, and imports positions of another frame with positions: null (task 24-H)', async () => {
    await api['points.layout']({ billetId });
    await api['billets.create']({ name: 'B13', nominalDiameterMm: 600 });
    // "B-42" is this billet (its own name, any separators): read; "B13" is another billet of the data folder: refused
    const own = await api['readings.previewCsv']({ billetId, upload: upload('Sample,C\nB42-P01,0.45\n20261121-P02,0.44\n') });
    expect([own.ok, own.rowCount]).toEqual([true, 2]);
    const other = await api['readings.previewCsv']({ billetId, upload: upload('Sample,C\nB42-P01,0.45\nB13-P43,0.44\n') });
    expect(other.errors.map((e) => [e.line, e.phrases?.[0]?.code])).toEqual([[3, 'readingsLabel.otherBillet']]);
    // B14 is not stored yet, but the file names this billet (B-42) on its first rows: B14's rows are refused (task 24-I; fails
    // before: the service did not pass the billet's own name, and all four rows imported into B-42)
    const unstored = await api['readings.previewCsv']({ billetId, upload: upload('Sample,C\nB42-P01,0.45\nB42-P02,0.44\nB14-P43,0.41\nB14-P44,0.40\n') });
    expect(unstored.errors.map((e) => [e.line, e.phrases?.[0]?.code])).toEqual([[4, 'readingsLabel.notThisBillet'], [5, 'readingsLabel.notThisBillet']]);
    // a plan with y up: refused while read, imported when the positions are not read
    const p01 = (await api['points.list']({ billetId })).points[0]!;
    const up = upload(`label,x,y,C\nP01,${p01.xMm},${-p01.yMm},0.45\n`);
    expect((await rejection(api['readings.importCsv']({ billetId, upload: up, unit: 'wt_pct' }))).message).toMatch(/--no-positions/);
    const out = await api['readings.importCsv']({ billetId, upload: upload(`label,x,y,C\nP01,${p01.xMm},${-p01.yMm},0.45\n`), unit: 'wt_pct', mapping: { positions: null } });
    expect([out.imported, readingRows()]).toEqual([1, 1]);
  });

  it('a file with one bad line imports nothing and the error names the line', async () => {
    await api['points.layout']({ billetId });
    await api['readings.set']({ billetId, label: 'P03', values: [0.33] });
    const up = upload('label,carbon\nP01,0.45\nP02,0.46\nP03,-0.2\nP04,0.47\n', 'bad.csv');
    const pv = await api['readings.previewCsv']({ billetId, upload: up });
    expect(pv.ok).toBe(false);
    expect(pv.errors).toEqual([{ line: 4, message: 'carbon -0.2 wt.% is negative for P03' }]);
    expect(pv.replacesPoints).toEqual([]); // P03 (with a reading) is only on the bad line
    const err = await rejection(api['readings.importCsv']({ billetId, upload: up, unit: 'wt_pct' }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe('bad.csv: nothing imported — 1 problem: line 4: carbon -0.2 wt.% is negative for P03');
    expect(err.details).toEqual({ errors: [{ line: 4, message: 'carbon -0.2 wt.% is negative for P03' }] });
    expect(readingRows()).toBe(1);
    expect((await api['points.list']({ billetId })).points.find((p) => p.label === 'P03')!.meanWtPct).toBe(0.33);
  });

  it('a file without a header, or a billet without points, is refused clearly', async () => {
    expect(await rejection(api['readings.previewCsv']({ billetId, upload: upload('label,C\nP01,0.4\n') }))).toMatchObject({ code: 'failed_precondition' });
    await api['points.layout']({ billetId });
    const err = await rejection(api['readings.previewCsv']({ billetId, upload: upload('x,y\n1,2\n', 'weird.csv') }));
    expect(err.message).toMatch(/^weird\.csv: line 1: no header row/);
    expect(err.details).toMatchObject({ errors: [{ line: 1 }] });
    expect(await rejection(api['readings.exportCsv']({ billetId }))).toMatchObject({ code: 'failed_precondition' });
  });
});
