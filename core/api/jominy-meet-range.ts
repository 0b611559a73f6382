/**
 * Whether a design's stated P(meet band) range (core/jominy/meet-uncertainty.ts statedMeetRange) is its Monte Carlo
 * error alone: it has neither a calibration range nor a held-out check — a predictor stored before it kept its
 * held-out cells (`heldOut` absent from its calibration), or one whose resamples and check both failed. Such a range
 * looks like the full one but says nothing of the calibration, so the CLI and the screen mark it ‡ and the CSV leaves
 * its lo/hi empty. A row stored before ranges existed (no `range`) is not this: it is marked on its own.
 * Pure: the renderer runs it too.
 */
export function meetRangeMcOnly(m: { range?: readonly [number, number] | null; calibrationRange?: readonly [number, number] | null; heldOut?: object | null }): boolean {
  return !!m.range && !m.calibrationRange && !m.heldOut;
}
