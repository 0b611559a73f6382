import { describe, expect, it } from 'vitest';
import { PointOrder } from '../../../renderer/src/components/annotate/point-order.js';
import { PointEditor, snapshotOf, type PointApi } from '../../../renderer/src/components/annotate/point-editor.js';
import type { PointsList, SamplingPoint } from '../../../core/api/index.js';

const point = (id: number, label: string, xMm: number, values: number[] = []): SamplingPoint => ({
  id, label, xMm, yMm: 0, source: 'edited', sortOrder: id,
  readings: values.map((v, i) => ({ id: 100 * id + i, replicateNo: i + 1, carbonWtPct: v, analyzer: null, operator: null, measuredAt: null, source: 'manual' })),
  n: values.length, meanWtPct: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null, sdWtPct: null,
});
const listOf = (...points: SamplingPoint[]): PointsList => ({ billetId: 1, billetName: 'B', nominalDiameterMm: 600, synthetic: false, points });

/** Calls on their way, answered when (and with what) the test says: a slow answer landing after a later one. */
function network() {
  const pending: { method: string; args: unknown[]; answer: (v: unknown) => void; fail: (e: unknown) => void }[] = [];
  const call = <T>(method: string) => (...args: unknown[]) => new Promise<T>((answer, fail) => pending.push({ method, args, answer: answer as (v: unknown) => void, fail }));
  const api: PointApi = { move: call('move'), patch: call('patch'), save: call('save'), setReadings: call('setReadings'), list: call('list') };
  return {
    api,
    /** The oldest call of `method` on its way (taken off the list), or null. */
    take(method: string) {
      const i = pending.findIndex((p) => p.method === method);
      return i < 0 ? null : pending.splice(i, 1)[0];
    },
    methods: () => pending.map((p) => p.method),
  };
}

/** Lets every callback already due run (answers taken in, re-reads sent): no timing involved. */
const settle = () => new Promise<void>((r) => setImmediate(r));

/** The view's points as AnnotateState keeps them: the load and the re-reads on outside changes through the order. */
function view(net: ReturnType<typeof network>) {
  const v = { list: null as PointsList | null, order: null as unknown as PointOrder };
  const reload = async () => {
    const a = await v.order.outsideRead(() => net.api.list());
    if (!a.stale) v.list = a.value;
  };
  v.order = new PointOrder(() => void reload());
  return { v, reload };
}

describe('PointOrder: the Annotate view ends on the points the server holds, whatever answer lands last', () => {
  it('a re-read answered before a change here, landing after it, is dropped and the points are read again after the change', async () => {
    const net = network();
    const { v, reload } = view(net);
    v.list = listOf(point(1, 'P1', 0));
    void reload();
    const old = net.take('list')!; // answered with P1 at 0 (before the move below)
    const moving = v.order.own(() => net.api.move('P1', 5, 0));
    net.take('move')!.answer(point(1, 'P1', 5));
    v.list = listOf(await moving);
    old.answer(listOf(point(1, 'P1', 0)));
    await settle();
    expect(v.list.points[0].xMm).toBe(5);
    expect(net.methods()).toEqual(['list']); // read once more after the move
    net.take('list')!.answer(listOf(point(1, 'P1', 5), point(2, 'P2', 9)));
    await settle();
    expect(v.list.points.map((p) => [p.label, p.xMm])).toEqual([['P1', 5], ['P2', 9]]);
  });

  it('the editor’s read after an undo that restores readings, landing after a later outside re-read, is read again after it', async () => {
    const net = network();
    const { v, reload } = view(net);
    const editor = new PointEditor(v.order.editorApi(net.api));
    const withReadings = point(1, 'P1', 0, [0.5]);
    v.list = listOf(withReadings, point(2, 'P2', 1));
    // delete P1 (and its reading), then undo: the set is saved, P1's reading set again, the points read
    const deleting = editor.edit(v.list.points, snapshotOf([v.list.points[1]]), true);
    net.take('save')!.answer(listOf(point(2, 'P2', 1)));
    v.list = listOf(...(await deleting));
    const undoing = editor.undo(v.list.points);
    await settle();
    net.take('save')!.answer(listOf(point(3, 'P1', 0), point(2, 'P2', 1)));
    await settle();
    net.take('setReadings')!.answer(point(3, 'P1', 0, [0.5]));
    await settle();
    const restored = net.take('list')!; // the server answers with P2 at 1: another client moves it to 7 after
    // the other client's move: its event re-reads the points (at once, or after the editor's read)
    void reload();
    await settle();
    net.take('list')?.answer(listOf(point(3, 'P1', 0, [0.5]), point(2, 'P2', 7)));
    await settle();
    restored.answer(listOf(point(3, 'P1', 0, [0.5]), point(2, 'P2', 1)));
    v.list = listOf(...(await undoing)!);
    await settle();
    // a read after the editor's, answered with the points as stored now
    net.take('list')?.answer(listOf(point(3, 'P1', 0, [0.5]), point(2, 'P2', 7)));
    await settle();
    expect(net.methods()).toEqual([]);
    // the editor's read, landing last, put P2 back at 1 while 7 was stored, and nothing read the points again
    expect(v.list.points.map((p) => [p.label, p.xMm, p.n])).toEqual([['P1', 0, 1], ['P2', 7, 0]]);
  });

  it('a change refused before it is sent (no billet loaded yet) leaves the load’s read counting', async () => {
    const net = network();
    let reads = 0;
    const readAgain = new PointOrder(() => reads++);
    const loading = readAgain.read(() => net.api.list());
    await expect(readAgain.own(() => { throw new Error('no billet loaded'); })).rejects.toThrow('no billet loaded');
    net.take('list')!.answer(listOf(point(1, 'P1', 0)));
    // the load's answer was made stale by a change that never happened, and the view stayed empty
    const answer = await loading;
    expect(answer.stale ? null : answer.value.points.map((p) => p.label)).toEqual(['P1']);
    expect(reads).toBe(0);
    expect(readAgain.takeEcho()).toBe(false); // no event will come back from it
  });

  it('a change sent and refused by the server still reads the points again (reads it made stale are not lost)', async () => {
    const net = network();
    let reads = 0;
    const order = new PointOrder(() => reads++);
    const loading = order.read(() => net.api.list());
    const moving = order.own(() => net.api.move('P1', 5, 0));
    net.take('move')!.fail(new Error('refused'));
    await expect(moving).rejects.toThrow('refused');
    net.take('list')!.answer(listOf(point(1, 'P1', 0)));
    expect(await loading).toEqual({ stale: true });
    expect(reads).toBe(1);
  });

  it('the load’s answer, dropped as stale by an outside re-read that then fails, is handed out with that failure (not an empty view)', async () => {
    const net = network();
    const order = new PointOrder(() => undefined);
    const loading = order.read(() => net.api.list());
    const rereading = order.outsideRead(() => net.api.list());
    net.take('list')!.answer(listOf(point(1, 'P1', 0)));
    expect(await loading).toEqual({ stale: true });
    net.take('list')!.fail(new Error('the store could not be read'));
    const answer = await rereading;
    expect(answer.stale ? null : [answer.value.points.map((p) => p.label), (answer.failed as Error).message]).toEqual([['P1'], 'the store could not be read']);
  });

  it('a read dropped by a change here never comes back, even when the re-read after the change fails', async () => {
    const net = network();
    let reads = 0;
    const order = new PointOrder(() => reads++);
    const loading = order.read(() => net.api.list());
    const moving = order.own(() => net.api.move('P1', 5, 0));
    net.take('list')!.answer(listOf(point(1, 'P1', 0)));
    expect(await loading).toEqual({ stale: true });
    net.take('move')!.answer(point(1, 'P1', 5));
    await moving;
    expect(reads).toBe(1);
    const rereading = order.read(() => net.api.list());
    net.take('list')!.fail(new Error('the store could not be read'));
    await expect(rereading).rejects.toThrow('the store could not be read');
  });
});
