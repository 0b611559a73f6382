/**
 * The figures of a printed "t × s/√n = hw" as strings whose arithmetic adds up: a reader who multiplies the printed t
 * by the printed s and divides by √n gets the printed hw to its last digit. hw is printed to 5 decimals (wt.%); t and s
 * start at 3 decimals and 3 significant digits and take one more digit each until the printed product rounds to the
 * printed hw (the bound itself is never rounded: the digits follow it, not the other way round).
 */
export function repeatabilityArithmetic(t: number, sdWtPct: number, n: number, halfWidthWtPct: number): { t: string; sd: string; hw: string } {
  const hw = halfWidthWtPct.toFixed(5);
  for (let d = 3; d <= 12; d++) {
    const ts = t.toFixed(d);
    const sd = sdDigits(sdWtPct, d);
    if (((Number(ts) * Number(sd)) / Math.sqrt(n)).toFixed(5) === hw) return { t: ts, sd, hw };
  }
  // full precision always adds up (the bound is t·s/√n); reached only at a rounding tie in the last place
  return { t: String(t), sd: String(sdWtPct), hw };
}

/** An sd in wt.% to `digits` significant digits, in plain decimals (never "1e-5"). */
export function sdDigits(sdWtPct: number, digits = 3): string {
  if (!(sdWtPct > 0)) return sdWtPct.toFixed(digits);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(sdWtPct)));
  return sdWtPct.toFixed(Math.min(decimals, 100));
}
