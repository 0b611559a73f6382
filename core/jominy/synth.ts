import { DISTANCES_MM, ELEMENTS, N_POINTS, arrayToChem, type Chemistry, type Element } from './elements.js';
import { dividingFactors, idealDiameterMm, initialHardness } from './a255.js';
import { createRng, type Rng } from '../runtime/random.js';
import type { CompleteSample } from './dataset.js';
import { phrase } from '../api/phrase.js';
import { RefusedError } from '../runtime/refused.js';

/**
 * Synthetic Jominy datasets, labelled synthetic wherever they appear. No open dataset of measured
 * chemistries + curves exists (research notes §3), so the tests, demos and benchmarks use heats
 * drawn here from a seed.
 *
 * Generating model (documented assumptions — NOT measured metallurgy):
 *  1. Chemistry: five grade families (carbon, case-hardening, Cr-Mo, Ni-Cr-Mo, boron), each with an
 *     aim and spread per element, truncated to a family range. Alloying elements of one heat share a
 *     latent "aim" factor (a melt shop aims a whole heat higher or lower: ρ = 0.5 for Mn, Cr, Mo, Ni);
 *     scrap residuals (Cu, Sn, Ni residual) share a second factor (ρ = 0.6).
 *  2. Curve (`synthTruthProfile`, the "reality" honest ε is scored against): the reference A255 model
 *     (a255.ts) with DI multiplied by effects A255 has no factor for:
 *       boron   × (1 + 1.6·(1 − C/0.8)·min(1, B/0.0008)·p),  p = 0.3 + 0.7·min(1, Ti/0.02)
 *               (B works only in solution; Ti protects it from N; the effect fades with carbon);
 *       niobium × (1 − 1.5·Nb)            (grain refinement lowers hardenability);
 *       titanium× (1 − 2·max(0, Ti − 0.03)) (TiC beyond what protects B);
 *       aluminium×(1 − 0.8·max(0, Al − 0.02)) (grain refinement).
 *     P, S, Sn have no effect. Grain size is taken as ASTM 7 (A255's assumption).
 *     Tail rule: A255's IH/df keeps falling to 11–15 HRC where real curves level off in the
 *     ferrite–pearlite/bainite tail (1045 by A255: 19.2 HRC at 13 mm and 15.0 at 25 mm against the
 *     SAE J1268 1045H band minima 24 at J8 and 20 at J16, research notes §1.5, §2). So the curve is
 *     the larger of A255 and a tail floor: Just's Jominy formula (Dobrzański & Sitek, J. Mater.
 *     Process. Technol. 64 (1997) 117, notes §1) between J6 and J12 (9.5–19 mm; its quadratic term
 *     drops too fast beyond: a mid-1045H heat would end below the band at J16), continued beyond J12
 *     with −0.15 HRC per sixteenth (the slope of the 4140H band's middle, J16–J32), made
 *     non-increasing with distance and never above the initial hardness IH. Both parts are
 *     non-increasing with distance, so the noise-free curve is. Checked (synth.test.ts): a mid-band
 *     1045 heat lies inside the SAE J1268 1045H band at J6, J8, J12 and J16.
 *  3. Measurement, with σ = noiseHrc (default 1.0 HRC): a per-heat offset N(0, 0.8σ) (specimen,
 *     austenitising and grinding shift a whole curve), a per-heat hardenability scatter DI × exp(N(0,
 *     0.04σ)) (grain size, quench), both of which keep a curve monotone, and independent reading noise
 *     N(0, 0.25σ) per point — the only source of rises, so fewer than 5 % of heats rise by more than σ
 *     anywhere (real readings on neighbouring points share most of their error). Per point the total
 *     is ≈ σ rms. Floored at 8 HRC, 0.1 HRC resolution.
 */

interface Spec {
  mu: number;
  sd: number;
  lo: number;
  hi: number;
}
type Family = { name: string; grade: string; weight: number; spec: Record<Element, Spec> };

const s = (mu: number, sd: number, lo: number, hi: number): Spec => ({ mu, sd, lo, hi });
const residuals = (): Record<'P' | 'S' | 'Cu' | 'Sn' | 'Nb' | 'V' | 'Al', Spec> => ({
  P: s(0.014, 0.004, 0.005, 0.025),
  S: s(0.022, 0.008, 0.005, 0.04),
  Cu: s(0.16, 0.05, 0.05, 0.3),
  Sn: s(0.011, 0.004, 0.003, 0.025),
  Nb: s(0.002, 0.001, 0, 0.005),
  V: s(0.005, 0.002, 0.001, 0.012),
  Al: s(0.026, 0.006, 0.012, 0.045),
});

export const SYNTH_FAMILIES: readonly Family[] = [
  {
    name: 'carbon', grade: 'synthetic C45-type', weight: 0.2,
    spec: { ...residuals(), C: s(0.42, 0.05, 0.3, 0.55), Mn: s(0.72, 0.07, 0.55, 0.9), Si: s(0.25, 0.05, 0.15, 0.4), Cr: s(0.14, 0.05, 0.03, 0.3), Ni: s(0.09, 0.03, 0.02, 0.2), Mo: s(0.02, 0.01, 0.005, 0.05), B: s(0.0002, 0.0001, 0, 0.0005), Ti: s(0.002, 0.001, 0, 0.005) },
  },
  {
    name: 'case-hardening', grade: 'synthetic 20MnCr5-type', weight: 0.25,
    spec: { ...residuals(), C: s(0.19, 0.02, 0.14, 0.24), Mn: s(1.15, 0.1, 0.9, 1.4), Si: s(0.25, 0.05, 0.15, 0.4), Cr: s(1.05, 0.1, 0.8, 1.3), Ni: s(0.1, 0.04, 0.02, 0.25), Mo: s(0.03, 0.015, 0.005, 0.08), B: s(0.0002, 0.0001, 0, 0.0005), Ti: s(0.02, 0.02, 0, 0.08), Nb: s(0.01, 0.008, 0, 0.035) },
  },
  {
    name: 'Cr-Mo', grade: 'synthetic 42CrMo4-type', weight: 0.2,
    spec: { ...residuals(), C: s(0.37, 0.05, 0.22, 0.46), Mn: s(0.8, 0.07, 0.6, 1.0), Si: s(0.25, 0.05, 0.15, 0.4), Cr: s(1.04, 0.08, 0.85, 1.25), Ni: s(0.1, 0.04, 0.02, 0.25), Mo: s(0.2, 0.03, 0.14, 0.3), B: s(0.0002, 0.0001, 0, 0.0005), Ti: s(0.003, 0.001, 0, 0.006), V: s(0.01, 0.01, 0, 0.05) },
  },
  {
    name: 'Ni-Cr-Mo', grade: 'synthetic 8620/4340-type', weight: 0.2,
    spec: { ...residuals(), C: s(0.26, 0.07, 0.16, 0.43), Mn: s(0.76, 0.07, 0.6, 0.95), Si: s(0.25, 0.05, 0.15, 0.4), Cr: s(0.7, 0.18, 0.4, 1.1), Ni: s(1.0, 0.45, 0.4, 2.0), Mo: s(0.22, 0.04, 0.15, 0.3), B: s(0.0002, 0.0001, 0, 0.0005), Ti: s(0.003, 0.001, 0, 0.006) },
  },
  {
    name: 'boron', grade: 'synthetic 27MnCrB5-type', weight: 0.15,
    spec: { ...residuals(), C: s(0.27, 0.04, 0.2, 0.36), Mn: s(1.2, 0.1, 1.0, 1.45), Si: s(0.25, 0.05, 0.15, 0.4), Cr: s(0.35, 0.15, 0.1, 0.6), Ni: s(0.06, 0.03, 0.01, 0.15), Mo: s(0.02, 0.01, 0.005, 0.05), B: s(0.0025, 0.0007, 0.0008, 0.005), Ti: s(0.035, 0.01, 0.015, 0.06) },
  },
];

const AIM_LOADED: readonly Element[] = ['Mn', 'Cr', 'Mo', 'Ni'];
const SCRAP_LOADED: readonly Element[] = ['Cu', 'Sn'];

function draw(spec: Spec, z: number): number {
  // Truncate by clipping after the correlated draw: resampling would break the correlation.
  return Math.min(spec.hi, Math.max(spec.lo, spec.mu + spec.sd * z));
}

/** DI multiplier for what A255 leaves out (the assumptions in the header). */
export function synthExtraFactor(c: Chemistry): number {
  const protection = 0.3 + 0.7 * Math.min(1, c.Ti / 0.02);
  const boron = 1 + 1.6 * Math.max(0, 1 - c.C / 0.8) * Math.min(1, c.B / 0.0008) * protection;
  const nb = 1 - 1.5 * c.Nb;
  const ti = 1 - 2 * Math.max(0, c.Ti - 0.03);
  const al = 1 - 0.8 * Math.max(0, c.Al - 0.02);
  return boron * nb * ti * al;
}

/** Just's Jominy formula (HRC at E sixteenths of an inch, grain size G); the tail floor of the header, item 2. */
export function justHardness(c: Chemistry, E: number, G = 7): number {
  const rc = Math.sqrt(c.C);
  return 88 * rc - 0.0135 * E * E * rc + 19 * c.Cr + 6.3 * c.Ni + 16 * c.Mn + 35 * c.Mo + 5 * c.Si - 0.82 * G - 20 * Math.sqrt(E) + 2.11 * E - 2;
}

/**
 * Tail floor at the standard distances: `justHardness` over E = 6…12 sixteenths (held at its E = 6 value
 * nearer the quenched end), beyond J12 continued with TAIL_SLOPE per sixteenth; non-increasing, ≤ IH.
 */
export function synthTailFloor(c: Chemistry): number[] {
  const ih = initialHardness(c.C);
  let prev = ih;
  return DISTANCES_MM.map((d) => {
    const E = d / SIXTEENTH_MM;
    const v = justHardness(c, Math.min(12, Math.max(6, E))) - TAIL_SLOPE * Math.max(0, E - 12);
    return (prev = Math.min(prev, v));
  });
}

const SIXTEENTH_MM = 1.5875;
/** HRC lost per sixteenth beyond J12: the middle of the 4140H band falls 43.5 → 41 HRC from J16 to J32 (notes §2). */
const TAIL_SLOPE = 0.15;

function truthAt(c: Chemistry, diScale: number): number[] {
  const di = idealDiameterMm(c) * synthExtraFactor(c) * diScale;
  const ih = initialHardness(c.C);
  const floor = synthTailFloor(c);
  return dividingFactors(di).map((df, i) => Math.max(8, ih / df, floor[i]));
}

/** The noise-free curve of the generating model: the "truth" of a synthetic dataset (non-increasing). */
export function synthTruthProfile(c: Chemistry): number[] {
  return truthAt(c, 1);
}

export interface SynthOptions {
  n: number;
  seed: number;
  /** Measurement noise per point, HRC (default 1.0). */
  noiseHrc?: number;
}

export const SYNTH_MODEL_ID = 'ferrolab-synth-v2';
export const SYNTH_DESCRIPTION =
  'SYNTHETIC data generated by Ferrolab (ferrolab-synth-v2): chemistries from five grade families; curves from the ASTM A255 reference model with assumed B/Nb/Ti/Al effects and a tail floor (Just’s formula); ~1 HRC noise, mostly shared by a heat’s points. Not measured heats.';

function drawHeat(fam: Family, rng: Rng): number[] {
  const aim = rng.normal();
  const scrap = rng.normal();
  return ELEMENTS.map((el) => {
    const e = rng.normal();
    let z = e;
    if (AIM_LOADED.includes(el)) z = 0.5 * aim + Math.sqrt(1 - 0.25) * e;
    else if (SCRAP_LOADED.includes(el)) z = 0.6 * scrap + 0.8 * e;
    return draw(fam.spec[el], z);
  });
}

export function generateSynthetic(opts: SynthOptions): CompleteSample[] {
  if (!Number.isInteger(opts.n) || opts.n < 1 || opts.n > 100_000) throw RefusedError.said('invalid_argument', phrase('jominyDomain.synthCount', { n: String(opts.n) }), { field: 'n' });
  const rng = createRng(opts.seed);
  const noise = opts.noiseHrc ?? 1.0;
  const total = SYNTH_FAMILIES.reduce((a, f) => a + f.weight, 0);
  const out: CompleteSample[] = [];
  for (let k = 0; k < opts.n; k++) {
    let u = rng.next() * total;
    let fam = SYNTH_FAMILIES[0];
    for (const f of SYNTH_FAMILIES) {
      if ((u -= f.weight) < 0) {
        fam = f;
        break;
      }
    }
    const chemistry = arrayToChem(drawHeat(fam, rng).map((v, i) => +v.toFixed(ELEMENTS[i] === 'B' ? 5 : 4)));
    const offset = 0.8 * noise * rng.normal();
    const heatCurve = truthAt(chemistry, Math.exp(0.04 * noise * rng.normal()));
    const hardness = heatCurve.map((h) => Math.round(Math.max(8, h + offset + 0.25 * noise * rng.normal()) * 10) / 10);
    if (hardness.length !== N_POINTS) throw new Error('profile length');
    out.push({ heatId: `SYN-${opts.seed}-${String(k + 1).padStart(5, '0')}`, grade: fam.grade, grainSize: 7, chemistry, hardness });
  }
  return out;
}
