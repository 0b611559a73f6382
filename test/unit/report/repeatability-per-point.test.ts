import { describe, expect, it } from 'vitest';
import { acceptanceOf, reportTranslator, type AcceptanceEvidence } from '../../../core/report/index.js';
import { measuredMapUpperEnd, readingsUpperEnd, mapMaxUpperEnd, type PointMean, type Repeatability } from '../../../core/segregation/index.js';
import { tQuantile } from '../../../core/segregation/fewer-points/index.js';
import { repeatabilityArithmetic } from '../../../core/report/repeatability-arithmetic.js';

/**
 * The acceptance class at the analyser's repeatability, point by point. The reviewer's example: s = 0.01 wt.% on df = 6,
 * C0 0.42 wt.%, class A ≤ 1.10, B ≤ 1.20; the map's max sits on a point of mean 0.4536 read 4 times, another point of
 * 0.445 was read once. t(0.90, 6) = 1.440: the ends are (0.4536 + 1.440 × 0.01/√4)/0.42 = 1.0971 and
 * (0.445 + 1.440 × 0.01/√1)/0.42 = 1.0938, both class A; the fewest-readings rule (n = 1 at the max) gave 1.1143,
 * class B, and "at the point estimate only".
 */
const C0 = 0.42;
const c0 = { wtPct: C0, source: 'bulk' as const };
const rep: Repeatability = { sdWtPct: 0.01, df: 6, points: 3 };
const AB = [
  { name: 'A', maxRatio: 1.1 },
  { name: 'B', maxRatio: 1.2 },
];
const t6 = tQuantile(0.9, 6);

/** The evidence the map report hands acceptanceOf for a measured map's own report, from its points and max. */
function selfEvidence(points: PointMean[], max: { wtPct: number; xMm: number; yMm: number }): AcceptanceEvidence {
  const top = points.reduce((a, p) => (p.meanWtPct > a.meanWtPct ? p : a));
  const r = readingsUpperEnd(points, rep)!;
  const m = measuredMapUpperEnd(max, points, rep)!;
  return {
    c0,
    self: { points: 40, coveredFraction: 0.8 },
    readingMax: { label: top.label, ratio: top.meanWtPct / C0 },
    repeatability: rep,
    readingsUpper: { ratio: r.wtPct / C0, nominal: r.nominal, halfWidthWtPct: r.halfWidthWtPct, t: r.t, n: r.n, label: r.label, meanWtPct: r.valueWtPct },
    measuredUpper: { ratio: m.wtPct / C0, nominal: m.map.nominal, halfWidthWtPct: m.map.halfWidthWtPct, t: m.map.t, n: m.map.n, label: m.map.label, maxWtPct: max.wtPct, by: m.by },
  };
}

describe('the upper end of the analyser’s repeatability, each point with its own n', () => {
  const P43 = { label: 'P43', xMm: 0, yMm: 0, meanWtPct: 0.4536, n: 4 };
  const lower = [
    { label: 'P20', xMm: -235.7, yMm: -102.1, meanWtPct: 0.42, n: 2 },
    { label: 'P85', xMm: 88.4, yMm: 255.1, meanWtPct: 0.421, n: 3 },
  ];
  const max = { wtPct: 0.4536, xMm: 0, yMm: 0 };

  it("the reviewer's example: the max read 4× and a point of 0.445 read once both stay in class A (test fails before: nMin = 1 gave 1.1143, class B)", () => {
    expect(t6.toFixed(3)).toBe('1.440');
    const points = [P43, { label: 'P01', xMm: -88.4, yMm: -255.1, meanWtPct: 0.445, n: 1 }, ...lower];
    const r = readingsUpperEnd(points, rep)!;
    expect(r).toMatchObject({ label: 'P43', n: 4, valueWtPct: 0.4536 });
    expect(r.wtPct / C0).toBeCloseTo((0.4536 + (t6 * 0.01) / 2) / C0, 12);
    expect((r.wtPct / C0).toFixed(4)).toBe('1.0971');
    // the once-read point's own end, lower
    expect(((0.445 + t6 * 0.01) / C0).toFixed(4)).toBe('1.0938');
    const m = measuredMapUpperEnd(max, points, rep)!;
    expect(m.by).toBe('map-max');
    expect(m.map).toMatchObject({ label: 'P43', n: 4 });
    expect((m.wtPct / C0).toFixed(4)).toBe('1.0971');
    // what the fewest-readings rule gave
    expect(((0.4536 + t6 * 0.01) / C0).toFixed(4)).toBe('1.1143');
    const a = acceptanceOf(0.4536 / C0, AB, undefined, selfEvidence(points, max));
    expect(a).toMatchObject({ className: 'A', headline: 'Class A', pointEstimateOnly: false, measuredUpperClassName: 'A', measuredUpperBy: 'map-max', readingsUpperClassName: 'A', readingsUpperLabel: 'P43' });
    expect(a.measuredUpperRatio!).toBeCloseTo(1.09714, 5);
    expect(a.readingsUpperRatio!).toBeCloseTo(1.09714, 5);
    expect(a.measuredUpperHalfWidthWtPct!).toBeCloseTo((t6 * 0.01) / 2, 12);
    expect(a.verdict).toContain('highest reading at the upper end of the analyser\'s repeatability (one-sided 90 %: the largest over the points of mean + t·s/√n, each point with its own n, at P43: 0.4536 + 1.440 × 0.0100/√4 = 0.4536 + 0.00720 wt.%;');
    expect(a.verdict).toContain('max + t·s/√n = 0.4536 + 1.440 × 0.0100/√4 = 0.4536 + 0.00720 wt.%, n = the readings at P43, the point with readings nearest the max;');
  });

  it('the mirror case: a once-read point below the max gives the upper end, is named, and puts the class at the point estimate only (test fails before)', () => {
    // 0.450 read once: (0.450 + 1.440 × 0.01)/0.42 = 1.1057 > 1.10, while the max read 4× ends at 1.0971
    const points = [P43, { label: 'P01', xMm: -88.4, yMm: -255.1, meanWtPct: 0.45, n: 1 }, ...lower];
    const r = readingsUpperEnd(points, rep)!;
    expect(r).toMatchObject({ label: 'P01', n: 1, valueWtPct: 0.45 });
    expect((r.wtPct / C0).toFixed(4)).toBe('1.1057');
    const m = measuredMapUpperEnd(max, points, rep)!;
    expect(m.by).toBe('reading');
    expect(m.wtPct).toBe(r.wtPct);
    expect((m.map.wtPct / C0).toFixed(4)).toBe('1.0971');
    const a = acceptanceOf(0.4536 / C0, AB, undefined, selfEvidence(points, max));
    expect(a).toMatchObject({ className: 'A', pointEstimateOnly: true, measuredUpperClassName: 'B', measuredUpperBy: 'reading', readingsUpperClassName: 'B', readingsUpperLabel: 'P01' });
    expect(a.headline).toBe("Class A at the point estimate only (Class B at the upper end of reading P01 for the analyser's repeatability alone)");
    expect(a.verdict).toContain("max C/C0 1.1057 ≤ 1.200 → class B (the readings' upper end, at P01)");
  });

  it('the map max takes n of the point nearest its cell; points at one place are one node whose counts add', () => {
    const pts = [
      { label: 'A', xMm: 0, yMm: 0, meanWtPct: 0.45, n: 1 },
      { label: 'A2', xMm: 0, yMm: 0, meanWtPct: 0.45, n: 3 },
      { label: 'B', xMm: 50, yMm: 0, meanWtPct: 0.43, n: 9 },
    ];
    // the max's cell 2 mm off the coincident pair: n = 1 + 3
    expect(mapMaxUpperEnd({ wtPct: 0.45, xMm: 2, yMm: 0 }, pts, rep)).toMatchObject({ n: 4, label: 'A+A2' });
    expect(mapMaxUpperEnd({ wtPct: 0.45, xMm: 2, yMm: 0 }, pts, rep)!.halfWidthWtPct).toBeCloseTo((t6 * 0.01) / 2, 12);
    // a cell nearer B takes B's 9 readings
    expect(mapMaxUpperEnd({ wtPct: 0.45, xMm: 40, yMm: 0 }, pts, rep)).toMatchObject({ n: 9, label: 'B' });
    // no usable repeatability: none
    expect(readingsUpperEnd(pts, { ...rep, df: 2 })).toBeNull();
    expect(measuredMapUpperEnd({ wtPct: 0.45, xMm: 0, yMm: 0 }, pts, null)).toBeNull();
    expect(readingsUpperEnd([], rep)).toBeNull();
  });
});

describe('a class set by a reading holds at that reading’s upper end, or says so', () => {
  const ABC = [
    { name: 'A', maxRatio: 1.1 },
    { name: 'B', maxRatio: 1.2 },
    { name: 'C', maxRatio: 1.3 },
  ];
  const model = { sample: 'out-of-sample' as const, interval: 'calibrated' as const };
  // P12 read once at 0.4998 wt.%: C/C0 1.19 (class B); + 1.440 × 0.01 → 1.2243 (class C)
  const points = [{ label: 'P12', xMm: 0, yMm: 0, meanWtPct: 0.4998, n: 1 }, { label: 'P13', xMm: 30, yMm: 0, meanWtPct: 0.47, n: 4 }];
  const r = readingsUpperEnd(points, rep)!;
  const readingsUpper = { ratio: r.wtPct / C0, nominal: r.nominal, halfWidthWtPct: r.halfWidthWtPct, t: r.t, n: r.n, label: r.label, meanWtPct: r.valueWtPct };

  it("beside a model's map the reading decides class B, and its upper end is in class C: 'at the point estimate only (class C at …)' (test fails before: plain 'Class B (decided by reading P12)')", () => {
    expect(r.label).toBe('P12');
    expect((r.wtPct / C0).toFixed(4)).toBe('1.2243');
    const a = acceptanceOf(1.05, ABC, undefined, { c0, model, readings: 2, readingMax: { label: 'P12', ratio: 0.4998 / C0 }, upper: { ratio: 1.08, nominal: 0.9 }, repeatability: rep, readingsUpper });
    expect(a).toMatchObject({ className: 'B', decidedBy: 'reading', pointEstimateOnly: true, readingsUpperClassName: 'C', readingsUpperLabel: 'P12', modelOnly: false });
    expect(a.readingsUpperRatio!).toBeCloseTo((0.4998 + t6 * 0.01) / C0, 12);
    expect(a.headline).toBe("Class B (decided by reading P12: C/C0 1.19) at the point estimate only (Class C at the upper end of reading P12 for the analyser's repeatability alone)");
    // a reading whose upper end stays in its class keeps a plain class
    const fine = acceptanceOf(1.05, ABC, undefined, { c0, model, readings: 2, readingMax: { label: 'P12', ratio: 0.4998 / C0 }, upper: { ratio: 1.08, nominal: 0.9 }, repeatability: rep, readingsUpper: { ...readingsUpper, ratio: 1.199 } });
    expect(fine.headline).toBe('Class B (decided by reading P12: C/C0 1.19)');
    expect(fine.pointEstimateOnly).toBe(false);
  });

  it('readings on one line (no measured map) state their repeatability, or why there is none (test fails before: nothing was said)', () => {
    const traverse = { c0, model, readings: 21, readingMax: { label: 'P12', ratio: 0.4998 / C0 }, measured: null, upper: { ratio: 1.08, nominal: 0.9 } };
    const withRep = acceptanceOf(1.05, ABC, undefined, { ...traverse, repeatability: rep, readingsUpper });
    expect(withRep.otherFigures).toContain(
      "highest reading at the upper end of the analyser's repeatability (one-sided 90 %: the largest over the points of mean + t·s/√n, each point with its own n, at P12: 0.4998 + 1.440 × 0.0100/√1 = 0.4998 + 0.01440 wt.%; s pooled from the billet's replicates, df = 6 (3 points read at least twice); it does not cover the analyser's bias (calibration), its between-day reproducibility or the sampling of the section): max C/C0 1.2243 ≤ 1.300 → class C",
    );
    expect(withRep.basis).toContain("the class is also checked at the one-sided 90 % upper end of the analyser's repeatability");
    expect(acceptanceOf(1.05, ABC, undefined, { ...traverse, repeatability: null, readingsUpper: null }).otherFigures).toContain('readings: no interval: no replicate readings (no point read twice; analyser repeatability not included)');
    expect(acceptanceOf(1.05, ABC, undefined, { ...traverse, repeatability: { sdWtPct: 0.0070711, df: 2, points: 2 }, readingsUpper: null }).otherFigures).toContain(
      'readings: no interval: the replicates give a pooled repeatability sd of 0.00707 wt.% on only 2 degrees of freedom (at least 3 needed)',
    );
  });
});

describe('the printed arithmetic adds up', () => {
  it('t × s/√n recomputed from the printed figures gives the printed hw to its last digit, for any s, df and n (test fails before: s to 4 decimals)', () => {
    let checked = 0;
    for (const s of [0.0070710678, 0.01, 0.0123456, 0.00314159, 0.0231, 0.0049999, 0.0005123]) {
      for (const df of [3, 4, 6, 11, 40]) {
        for (const n of [1, 2, 3, 4, 7]) {
          const t = tQuantile(0.9, df);
          const hw = (t * s) / Math.sqrt(n);
          const printed = acceptanceOf(1, [{ name: 'A', maxRatio: 2 }], undefined, {
            c0,
            readingMax: { label: 'P1', ratio: 1 },
            repeatability: { sdWtPct: s, df, points: 2 },
            readingsUpper: { ratio: 1 + hw / C0, nominal: 0.9, halfWidthWtPct: hw, t, n, label: 'P1', meanWtPct: C0 },
          }).verdict;
          const m = /: (0\.\d+) \+ (\d+\.\d+) × (0\.\d+)\/√(\d+) = 0\.\d+ \+ (0\.\d+) wt\.%/.exec(printed)!;
          const [, , tp, sp, np, hwp] = m;
          expect(Number(np)).toBe(n);
          // hw to 5 decimals, s to at least 3 significant digits, t to at least 3 decimals
          expect(hwp).toMatch(/^0\.\d{5}$/);
          expect(hwp).toBe(hw.toFixed(5));
          expect(((Number(tp) * Number(sp)) / Math.sqrt(n)).toFixed(5)).toBe(hwp);
          checked++;
        }
      }
    }
    expect(checked).toBe(175);
    // the old figures did not: 1.533 × 0.0071/√1 = 0.01088, printed 0.0108
    expect(((1.533 * 0.0071) / 1).toFixed(4)).not.toBe((tQuantile(0.9, 4) * 0.0070710678).toFixed(4));
    // the digits grow only where 3 do not add up
    expect(repeatabilityArithmetic(t6, 0.01, 4, (t6 * 0.01) / 2)).toEqual({ t: '1.440', sd: '0.0100', hw: '0.00720' });
  });
});

describe('what the repeatability bound does not cover, in every language', () => {
  const points = [{ label: 'P43', xMm: 0, yMm: 0, meanWtPct: 0.4536, n: 4 }, { label: 'P01', xMm: -88.4, yMm: -255.1, meanWtPct: 0.445, n: 1 }];
  const ev = selfEvidence(points, { wtPct: 0.4536, xMm: 0, yMm: 0 });
  it('en, zh, it: the measured figure and the basis name bias, reproducibility, sampling and interpolation; the readings figure the first three', () => {
    const words = {
      en: ["bias (calibration)", 'between-day reproducibility', 'sampling of the section', "spline's interpolation between points"],
      zh: ['系统偏差（校准）', '日间再现性', '截面的取样', '样条在点间的插值'],
      it: ["errore sistematico dell'analizzatore (taratura)", 'riproducibilità tra giorni', 'campionamento della sezione', 'interpolazione della spline tra i punti'],
    } as const;
    for (const lang of ['en', 'zh', 'it'] as const) {
      const a = acceptanceOf(0.4536 / C0, AB, reportTranslator(lang), ev);
      const measuredLine = a.otherFigures.at(-1)!;
      const readingsLine = a.otherFigures.at(-2)!;
      for (const w of words[lang]) {
        expect({ lang, w, inMeasured: measuredLine.includes(w), inBasis: a.basis!.includes(w) }).toEqual({ lang, w, inMeasured: true, inBasis: true });
      }
      for (const w of words[lang].slice(0, 3)) expect({ lang, w, inReadings: readingsLine.includes(w) }).toEqual({ lang, w, inReadings: true });
      expect(readingsLine).toContain('P43');
      expect(readingsLine).toContain('0.4536 + 1.440 × 0.0100/√4 = 0.4536 + 0.00720 wt.%');
    }
    // the headline's qualifier, where the end fails, says it is the repeatability alone
    const mirror = selfEvidence([points[0], { ...points[1], meanWtPct: 0.45 }], { wtPct: 0.4536, xMm: 0, yMm: 0 });
    expect(acceptanceOf(0.4536 / C0, AB, reportTranslator('zh'), mirror).headline).toBe('A 级仅按点估计成立（仅计分析仪重复性时，读数 P01 的上限处为B 级）');
    expect(acceptanceOf(0.4536 / C0, AB, reportTranslator('it'), mirror).headline).toBe("Classe A solo sulla stima puntuale (Classe B all'estremo superiore della lettura P01 per la sola ripetibilità dell'analizzatore)");
  });
});
