import { describe, expect, it } from 'vitest';
import { PointEditor, planEdit, snapshotOf, type PointApi } from '../../../renderer/src/components/annotate/point-editor.js';
import type { PointsList, SamplingPoint } from '../../../core/api/index.js';

/** An in-memory billet behind the editor's API, recording what is sent. */
function fakeApi(n = 85) {
  let nextId = 1;
  const mk = (label: string, xMm: number, yMm: number, values: number[] = []): SamplingPoint => ({
    id: nextId++, label, xMm, yMm, source: 'layout:hex85', sortOrder: 0,
    readings: values.map((v, i) => ({ id: 1000 + i, replicateNo: i + 1, carbonWtPct: v, analyzer: null, operator: null, measuredAt: null, source: 'manual' })),
    n: values.length, meanWtPct: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null, sdWtPct: null,
  });
  let points = Array.from({ length: n }, (_, i) => mk(`P${String(i + 1).padStart(2, '0')}`, i, -i, i === 4 ? [0.45, 0.47] : []));
  const sent: { method: string; points?: number }[] = [];
  const list = (): PointsList => ({ billetId: 1, billetName: 'B', nominalDiameterMm: 600, synthetic: false, points: points.map((p) => ({ ...p })) });
  const api: PointApi = {
    async move(label, xMm, yMm) {
      sent.push({ method: 'points.move', points: 1 });
      points = points.map((p) => (p.label === label ? { ...p, xMm, yMm, source: 'edited' } : p));
      return { ...points.find((p) => p.label === label)! };
    },
    async patch(label, set) {
      sent.push({ method: 'points.patch', points: 1 });
      points = points.map((p) => (p.label === label ? { ...p, label: set.label ?? p.label, xMm: set.xMm ?? p.xMm, yMm: set.yMm ?? p.yMm, source: 'edited' } : p));
      return { ...points.find((p) => p.label === (set.label ?? label))! };
    },
    async save(set) {
      sent.push({ method: 'points.save', points: set.length });
      const byId = new Map(points.map((p) => [p.id, p]));
      points = set.map((s) => (s.id !== undefined ? { ...byId.get(s.id)!, label: s.label, xMm: s.xMm, yMm: s.yMm } : mk(s.label, s.xMm, s.yMm)));
      return list();
    },
    async setReadings(label, values) {
      sent.push({ method: 'readings.set' });
      const old = points.find((p) => p.label === label)!;
      const fresh = mk(label, old.xMm, old.yMm, values);
      points = points.map((p) => (p.label === label ? { ...fresh, id: old.id } : p));
      return points.find((p) => p.label === label)!;
    },
    async list() {
      sent.push({ method: 'points.list' });
      return list();
    },
  };
  return { api, sent, current: () => list().points };
}

describe('point editor (Annotate): what an edit sends, and undo/redo', () => {
  it('plans one move for a drag or nudge, one patch for a rename, a whole-set save for anything else', () => {
    const a = [{ label: 'P01', xMm: 0, yMm: 0, values: [] }, { label: 'P02', xMm: 1, yMm: 1, values: [0.4] }];
    expect(planEdit(a, a)).toEqual({ kind: 'none' });
    expect(planEdit(a, [a[0], { ...a[1], xMm: 2 }])).toEqual({ kind: 'move', label: 'P02', xMm: 2, yMm: 1 });
    expect(planEdit(a, [{ ...a[0], xMm: 5 }, { ...a[1], xMm: 2 }])).toEqual({ kind: 'set' });
    expect(planEdit(a, [a[0]])).toEqual({ kind: 'set' });
    expect(planEdit(a, [a[0], { ...a[1], label: 'P03' }])).toEqual({ kind: 'patch', label: 'P02', set: { label: 'P03', xMm: 1, yMm: 1 } });
    // taking another point's label is a swap: only the whole set can do it
    expect(planEdit(a, [a[0], { ...a[1], label: 'p01' }])).toEqual({ kind: 'set' });
    expect(planEdit(a, [{ ...a[0], label: 'P02' }, { ...a[1], label: 'P01' }])).toEqual({ kind: 'set' });
    expect(planEdit(a, [a[0], { ...a[1], xMm: 2, values: [] }])).toEqual({ kind: 'set' });
  });

  it('moving one point of 85 sends that point only; undo and redo move it back and forth the same way', async () => {
    const { api, sent, current } = fakeApi();
    const ed = new PointEditor(api);
    const before = current();
    let pts = await ed.edit(before, snapshotOf(before).map((s) => (s.label === 'P43' ? { ...s, xMm: 12.5, yMm: 3 } : s)));
    expect(sent).toEqual([{ method: 'points.move', points: 1 }]);
    expect(pts.find((p) => p.label === 'P43')).toMatchObject({ xMm: 12.5, yMm: 3 });
    expect(pts.filter((p) => p.label !== 'P43')).toEqual(before.filter((p) => p.label !== 'P43'));
    expect(ed.canUndo).toBe(true);
    pts = (await ed.undo(pts))!;
    expect(pts.find((p) => p.label === 'P43')).toMatchObject({ xMm: 42, yMm: -42 });
    expect(ed.canRedo).toBe(true);
    pts = (await ed.redo(pts))!;
    expect(pts.find((p) => p.label === 'P43')).toMatchObject({ xMm: 12.5, yMm: 3 });
    expect(sent.map((c) => c.method)).toEqual(['points.move', 'points.move', 'points.move']);
    expect(current()).toEqual(pts);
  });

  it('renaming one point of 85 sends that point only, readings kept; undo renames it back the same way', async () => {
    const { api, sent, current } = fakeApi();
    const ed = new PointEditor(api);
    const before = current();
    let pts = await ed.edit(before, snapshotOf(before).map((s) => (s.label === 'P05' ? { ...s, label: 'C1' } : s)));
    expect(sent).toEqual([{ method: 'points.patch', points: 1 }]);
    expect(pts.find((p) => p.label === 'C1')!.readings.map((r) => r.carbonWtPct)).toEqual([0.45, 0.47]);
    pts = (await ed.undo(pts))!;
    expect(pts.map((p) => p.label)).toEqual(before.map((p) => p.label));
    expect(sent.map((c) => c.method)).toEqual(['points.patch', 'points.patch']);
    expect(current()).toEqual(pts);
  });

  it('deleting a point with readings saves the set; undo re-creates it with its replicates', async () => {
    const { api, sent, current } = fakeApi(10);
    const ed = new PointEditor(api);
    let pts = await ed.edit(current(), snapshotOf(current()).filter((s) => s.label !== 'P05'), true);
    expect(pts.map((p) => p.label)).not.toContain('P05');
    expect(sent).toEqual([{ method: 'points.save', points: 9 }]);
    pts = (await ed.undo(pts))!;
    expect(pts.find((p) => p.label === 'P05')!.readings.map((r) => r.carbonWtPct)).toEqual([0.45, 0.47]);
    expect(sent.slice(1).map((c) => c.method)).toEqual(['points.save', 'readings.set', 'points.list']);
    expect(await ed.undo(pts)).toBeNull();
    ed.clear();
    expect([ed.canUndo, ed.canRedo]).toEqual([false, false]);
  });

  it('sends every call of one edit to the billet it began on, even if the billet on screen changes meanwhile', async () => {
    const a = fakeApi(10), b = fakeApi(10);
    let onScreen = a;
    let switchAfterSave = false;
    const calls: string[] = [];
    // the view's binding: asked once per edit, for the billet on screen then
    const ed = new PointEditor(() => {
      const bound = onScreen === a ? 'A' : 'B';
      const api = onScreen.api;
      const log = <T extends unknown[], R>(name: string, f: (...x: T) => Promise<R>) => async (...x: T): Promise<R> => {
        calls.push(`${bound}:${name}`);
        const r = await f(...x);
        if (name === 'save' && switchAfterSave) onScreen = b; // the user switches billet while the undo restores readings
        return r;
      };
      return { move: log('move', api.move), patch: log('patch', api.patch), save: log('save', api.save), setReadings: log('setReadings', api.setReadings), list: log('list', api.list) };
    });
    const pts = await ed.edit(a.current(), snapshotOf(a.current()).filter((s) => s.label !== 'P05'), true);
    calls.length = 0;
    switchAfterSave = true;
    const back = (await ed.undo(pts))!;
    expect(calls).toEqual(['A:save', 'A:setReadings', 'A:list']);
    expect(back.find((p) => p.label === 'P05')!.readings.map((r) => r.carbonWtPct)).toEqual([0.45, 0.47]);
    expect(b.sent).toEqual([]); // nothing reached billet B
    expect(onScreen).toBe(b);
  });
});
