/**
 * Vickers (HV) → Rockwell C (HRC) for the Jominy importer, from ONE cited table and nothing else.
 *
 * Source: ASTM E140 — Standard Hardness Conversion Tables for Metals Relationship Among Brinell Hardness,
 * Vickers Hardness, Rockwell Hardness, Superficial Hardness, Knoop Hardness, Scleroscope Hardness, and
 * Leeb Hardness. Table 1, "Approximate Hardness Conversion Numbers for Non-Austenitic Steels (Rockwell C
 * Hardness Range)": the Vickers column (HV) against Rockwell C (150 kgf, diamond), HRC 68 … 20 in steps of 1.
 *
 * The conversion is empirical and approximate (the standard says so); it holds for non-austenitic steels,
 * which Jominy bars are. Between two rows the HRC is interpolated linearly in HV. Outside the table (below
 * 238 HV = HRC 20, where Rockwell C is not defined, or above 940 HV = HRC 68) nothing is converted: the value
 * is refused. Every converted value is marked as converted where the heat is stored (dataset.ts, MeasuredAs).
 *
 * The 49 rows were checked row by row against two public reproductions of Table 1 (the HV column of the
 * phase2plus.com and mikipulley.co.jp conversion charts); the licensed standard itself was not at hand.
 */
export const E140_CITATION = 'ASTM E140, Table 1 (non-austenitic steels, Rockwell C range): HV → HRC, linear between rows';

/** [HRC, HV] rows of ASTM E140 Table 1, HRC descending. */
export const E140_TABLE1_HRC_HV: readonly (readonly [number, number])[] = Object.freeze([
  [68, 940], [67, 900], [66, 865], [65, 832], [64, 800], [63, 772], [62, 746], [61, 720], [60, 697],
  [59, 674], [58, 653], [57, 633], [56, 613], [55, 595], [54, 577], [53, 560], [52, 544], [51, 528],
  [50, 513], [49, 498], [48, 484], [47, 471], [46, 458], [45, 446], [44, 434], [43, 423], [42, 412],
  [41, 402], [40, 392], [39, 382], [38, 372], [37, 363], [36, 354], [35, 345], [34, 336], [33, 327],
  [32, 318], [31, 310], [30, 302], [29, 294], [28, 286], [27, 279], [26, 272], [25, 266], [24, 260],
  [23, 254], [22, 248], [21, 243], [20, 238],
] as const);

export const E140_HV_MIN = 238;
export const E140_HV_MAX = 940;

/** HRC of an HV value by ASTM E140 Table 1, or the reason it cannot be converted. */
export function hvToHrc(hv: number): { ok: true; hrc: number } | { ok: false; reason: string } {
  if (!Number.isFinite(hv)) return { ok: false, reason: 'is not a number' };
  if (hv < E140_HV_MIN || hv > E140_HV_MAX)
    return { ok: false, reason: `is outside ASTM E140 Table 1 (${E140_HV_MIN}–${E140_HV_MAX} HV = HRC 20–68); it cannot be converted to HRC` };
  const t = E140_TABLE1_HRC_HV;
  for (let i = 0; i < t.length - 1; i++) {
    const [hHi, vHi] = t[i];
    const [hLo, vLo] = t[i + 1];
    if (hv <= vHi && hv >= vLo) return { ok: true, hrc: Math.round((hLo + ((hv - vLo) / (vHi - vLo)) * (hHi - hLo)) * 100) / 100 };
  }
  return { ok: false, reason: 'is outside ASTM E140 Table 1' };
}
