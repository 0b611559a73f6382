/**
 * Carbon values: units, plausibility limits and replicate statistics. Readings are stored in wt.%;
 * ppm (mg/kg) from an analyzer is divided by 10 000.
 */

import { parseStrictDecimal, type DecimalMark, type StrictDecimalResult } from '../api/strict-decimal.js';

export type CarbonUnit = 'wt_pct' | 'ppm';

/** Above this no steel exists (cast iron starts at ~2.1 wt.%; the lab's CHECK constraint uses the same bound). */
export const MAX_CARBON_WT_PCT = 2.5;
export const PPM_PER_WT_PCT = 10_000;
export const MAX_REPLICATES = 20;

/**
 * The replicate number an appended reading is stored under: its number in the file after the point's highest stored
 * one. The import stores by it and the preview shows and checks by it, so the two cannot drift (the preview had shown
 * the file's 1, 2 where the import stored 3, 4).
 */
export function appendedReplicateNo(fileNo: number, stored: readonly number[]): number {
  return fileNo + Math.max(0, ...stored);
}

export function toWtPct(value: number, unit: CarbonUnit): number {
  return unit === 'ppm' ? value / PPM_PER_WT_PCT : value;
}

/** Why a carbon value (already in wt.%) is impossible, or null when it is fine. */
export function carbonProblem(wtPct: number): string | null {
  if (!Number.isFinite(wtPct)) return 'carbon is not a number';
  if (wtPct < 0) return `carbon ${fmt(wtPct)} wt.% is negative`;
  if (wtPct > MAX_CARBON_WT_PCT) return `carbon ${fmt(wtPct)} wt.% is above ${MAX_CARBON_WT_PCT} wt.% (not a steel)`;
  return null;
}

/**
 * Reads one carbon value as written, through the one strict parser (core/api/strict-decimal): a plain
 * decimal number with the file's one decimal mark, optional exponent, surrounding spaces. Everything
 * else ("", "n/a", "0.", ".5", "0x37", "1e-400", "1,234.5", a point in a decimal-comma file) is refused
 * with the reason, never guessed. The mark is the caller's decision (one file, one mark).
 */
export function readCarbonNumber(raw: string, decimalMark: DecimalMark = '.'): StrictDecimalResult {
  return parseStrictDecimal(raw, { decimalMark });
}

export interface ReplicateStats {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null with fewer than two replicates. */
  sd: number | null;
}

export function replicateStats(values: readonly number[]): ReplicateStats {
  const n = values.length;
  if (n === 0) return { n, mean: null, sd: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, sd: null };
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(6)));
}
