/**
 * A design's mean 90 % interval half-width (HRC) over the distances with a prediction, and how many those are. A
 * marked value (core/jominy/point-marks.ts: held, no network, capped, below 20 HRC) has no interval, so averaging its
 * lo/hi in would state a width nobody measured. null when every distance is marked (nothing to average).
 * Pure and in core/api/ so the CLI, the session CSV and the Design page compute it once.
 */
export function meanHalfWidth(iv: { lo: readonly number[]; hi: readonly number[] }, marks: readonly (string | null)[] | null | undefined): { hrc: number; distances: number } | null {
  let sum = 0;
  let n = 0;
  iv.hi.forEach((hi, i) => {
    if (marks?.[i]) return;
    sum += (hi - iv.lo[i]) / 2;
    n++;
  });
  return n ? { hrc: sum / n, distances: n } : null;
}
