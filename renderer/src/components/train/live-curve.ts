import type { EpochLog } from '../../../../core/api/index.js';

/** The curve of the run (split) a training is on now, built from one-epoch progress events. */
export interface LiveCurve {
  runId: number;
  runName: string;
  logs: EpochLog[];
}

/**
 * Adds one epoch event. A new run id or run name starts a new curve; an epoch already held (the same event
 * seen twice) changes nothing, so the curve is the epochs in order, each once.
 */
export function addEpoch(curve: LiveCurve | null, ev: { runId: number; runName: string; log: EpochLog }): LiveCurve {
  if (!curve || curve.runId !== ev.runId || curve.runName !== ev.runName) return { runId: ev.runId, runName: ev.runName, logs: [ev.log] };
  if (curve.logs.some((l) => l.epoch === ev.log.epoch)) return curve;
  return { ...curve, logs: [...curve.logs, ev.log].sort((a, b) => a.epoch - b.epoch) };
}

/** True when epochs before or between the ones held are missing (the view opened mid-run). */
export const hasGap = (c: LiveCurve): boolean => c.logs.length > 0 && c.logs[c.logs.length - 1].epoch !== c.logs.length;

/** Fills the missing epochs from the stored history of the run (`cnn.runs.list`); held epochs win. */
export function withStored(curve: LiveCurve, stored: readonly EpochLog[]): LiveCurve {
  const held = new Set(curve.logs.map((l) => l.epoch));
  return { ...curve, logs: [...curve.logs, ...stored.filter((l) => !held.has(l.epoch))].sort((a, b) => a.epoch - b.epoch) };
}
