/**
 * Whether two billets' readings say they are one section: the same label with the same value to the last digit at
 * SAME_READINGS_MIN points or more, and at least half of the smaller billet's read points. Analyser readings to four
 * decimals do not agree that often by chance; a section scanned again (another resolution, its readings imported
 * again) or a training billet's patches attached to a new billet does. One rule for the training's refusal
 * (dataset-loader.ts) and for what a prediction is to its model (sample-label.ts).
 */
export const SAME_READINGS_MIN = 10;

export function sameReadings(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): { same: number; of: number; oneSection: boolean } {
  let same = 0;
  for (const [label, v] of a) if (b.get(label) === v) same++;
  const of = Math.min(a.size, b.size);
  return { same, of, oneSection: same >= SAME_READINGS_MIN && same >= 0.5 * of };
}
