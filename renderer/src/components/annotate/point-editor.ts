import type { PointsList, SamplingPoint } from '../../../../core/api/index.js';
import { EditHistory, type PointSnap } from './history.js';

/** The calls the editor makes; the view passes the API bound to its billet (a fake in the unit tests). */
export interface PointApi {
  move(label: string, xMm: number, yMm: number): Promise<SamplingPoint>;
  patch(label: string, set: { label?: string; xMm?: number; yMm?: number }): Promise<SamplingPoint>;
  save(points: { id?: number; label: string; xMm: number; yMm: number }[], confirmDeleteReadings: boolean): Promise<PointsList>;
  setReadings(label: string, values: number[]): Promise<SamplingPoint>;
  list(): Promise<PointsList>;
}

export const snapshotOf = (points: readonly SamplingPoint[]): PointSnap[] =>
  points.map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, values: p.readings.map((r) => r.carbonWtPct) }));

export type EditPlan =
  | { kind: 'move'; label: string; xMm: number; yMm: number }
  | { kind: 'patch'; label: string; set: { label: string; xMm: number; yMm: number } }
  | { kind: 'none' }
  | { kind: 'set' };

/**
 * How to get from one point set to the next: when the order and the readings are the same and exactly one point
 * changed, that is one call — `points.move` when only its position changed (a drag, a nudge, the undo of either),
 * `points.patch` when its label changed too (a rename, its undo); anything else saves the whole set.
 */
export function planEdit(current: readonly PointSnap[], next: readonly PointSnap[]): EditPlan {
  if (current.length !== next.length) return { kind: 'set' };
  let changed: { from: PointSnap; to: PointSnap } | null = null;
  for (let i = 0; i < next.length; i++) {
    const a = current[i], b = next[i];
    if (a.values.length !== b.values.length || a.values.some((v, k) => v !== b.values[k])) return { kind: 'set' };
    if (a.label !== b.label || a.xMm !== b.xMm || a.yMm !== b.yMm) {
      if (changed) return { kind: 'set' };
      changed = { from: a, to: b };
    }
  }
  if (!changed) return { kind: 'none' };
  const { from, to } = changed;
  // A new label that another point of the set had before is a swap: only a whole-set save can do it.
  if (from.label !== to.label && current.some((p) => p !== from && p.label.toLowerCase() === to.label.toLowerCase())) return { kind: 'set' };
  if (from.label === to.label) return { kind: 'move', label: to.label, xMm: to.xMm, yMm: to.yMm };
  return { kind: 'patch', label: from.label, set: { label: to.label, xMm: to.xMm, yMm: to.yMm } };
}

/**
 * Point edits with undo/redo. History holds whole sets by label (re-created points get fresh ids safely);
 * what is sent is as small as the edit: one point for a move, the set otherwise. Each method takes the points
 * on screen and returns the points after the edit.
 */
export class PointEditor {
  private history = new EditHistory();
  /**
   * `api`: the calls, or a function giving them bound to the billet on screen, asked once per edit — an undo that
   * saves, restores readings and re-reads is several calls, and all of them must go to the billet it began on even
   * if the user switches billet meanwhile.
   */
  constructor(private api: PointApi | (() => PointApi)) {}

  get canUndo(): boolean { return this.history.canUndo; }
  get canRedo(): boolean { return this.history.canRedo; }
  clear(): void { this.history.clear(); }

  /** Records the state before the edit, then applies it. */
  async edit(points: readonly SamplingPoint[], next: PointSnap[], confirmDeleteReadings = false): Promise<SamplingPoint[]> {
    this.history.push(snapshotOf(points));
    return this.apply(points, next, confirmDeleteReadings);
  }

  /** Null when there is nothing to undo. */
  async undo(points: readonly SamplingPoint[]): Promise<SamplingPoint[] | null> {
    const prev = this.history.undo(snapshotOf(points));
    return prev ? this.apply(points, prev, true) : null;
  }

  async redo(points: readonly SamplingPoint[]): Promise<SamplingPoint[] | null> {
    const next = this.history.redo(snapshotOf(points));
    return next ? this.apply(points, next, true) : null;
  }

  /** Saves a point set; points re-created by undo/redo get their replicates back. */
  private async apply(points: readonly SamplingPoint[], next: PointSnap[], confirmDeleteReadings: boolean): Promise<SamplingPoint[]> {
    const plan = planEdit(snapshotOf(points), next);
    if (plan.kind === 'none') return [...points];
    const api = typeof this.api === 'function' ? this.api() : this.api;
    if (plan.kind === 'move') {
      const p = await api.move(plan.label, plan.xMm, plan.yMm);
      return points.map((q) => (q.label === p.label ? p : q));
    }
    if (plan.kind === 'patch') {
      const p = await api.patch(plan.label, plan.set);
      return points.map((q) => (q.label === plan.label ? p : q));
    }
    const idOf = new Map(points.map((p) => [p.label, p.id]));
    let l = await api.save(next.map((s) => ({ id: idOf.get(s.label), label: s.label, xMm: s.xMm, yMm: s.yMm })), confirmDeleteReadings);
    const restore = next.filter((s) => s.values.length && l.points.find((p) => p.label === s.label)?.n === 0);
    for (const s of restore) await api.setReadings(s.label, s.values);
    if (restore.length) l = await api.list();
    return l.points;
  }
}
