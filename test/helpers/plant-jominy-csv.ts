import { generateSynthetic, synthTruthProfile } from '../../core/jominy/synth.js';
import { DISTANCES_MM, type Element } from '../../core/jominy/elements.js';
import { E140_TABLE1_HRC_HV } from '../../core/jominy/hardness-conversion.js';
import { SIXTEENTH_MM } from '../../core/jominy/dataset.js';
import { pchip, pchipAt } from '../../core/jominy/pchip.js';
import { createRng } from '../../core/runtime/random.js';

/**
 * A real-looking (plant-like) Jominy CSV from the synthetic generating model, for tests and the bench — the
 * forms issue 12 met in plant data, all at once:
 *  - distances in sixteenths of an inch (J1 … J28, declared in the header), the tail often unmeasured:
 *    every heat measures J1 … J16 (the first 12), J20 most heats (80 %), J24 a third, J28 few (8 %); ~4 % interior gaps;
 *  - elements C, Mn, Si, Ni, Cr, Ti, Mo, B only (the model's other elements vary unseen, as in a plant);
 *  - two flats per distance (J1a, J1b …), each with its own reading noise;
 *  - ~10 % of heats read in HV (a `scale` column), written from E140 Table 1 where every reading is ≥ HRC 21;
 *  - a grade column (the synthetic grade families).
 * Deterministic for a seed; SYNTHETIC, and its header says so.
 */
export const PLANT_ELEMENTS: Element[] = ['C', 'Mn', 'Si', 'Ni', 'Cr', 'Ti', 'Mo', 'B'];
export const PLANT_SIXTEENTHS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28];
/** Share of heats that measured each position (the rest: empty cells). */
const MEASURED_SHARE = PLANT_SIXTEENTHS.map((n) => (n <= 16 ? 1 : n === 20 ? 0.8 : n === 24 ? 0.35 : 0.08));

/** HRC → HV by E140 Table 1 (the inverse of the importer's conversion, linear between rows). */
function hrcToHv(hrc: number): number {
  const t = E140_TABLE1_HRC_HV;
  for (let i = 0; i < t.length - 1; i++) {
    const [hHi, vHi] = t[i];
    const [hLo, vLo] = t[i + 1];
    if (hrc <= hHi && hrc >= hLo) return vLo + ((hrc - hLo) / (hHi - hLo)) * (vHi - vLo);
  }
  throw new RangeError(`HRC ${hrc} is outside E140 Table 1`);
}

export interface PlantCsv {
  text: string;
  heats: number;
  hvHeats: number;
  /** The generating model's curve of each heat at the file's distances (mm), for honest scoring. */
  truth: number[][];
  /** Heats written without each element (element gaps asked for), by element. */
  gaps: Record<string, number>;
}

export interface PlantCsvOptions {
  n: number;
  seed: number;
  flatNoiseHrc?: number;
  /**
   * Element gaps: per element, the share of heats that did not analyse it (its cell left empty, or `missingToken`),
   * drawn from their own seeded stream so the rest of the file is the same with or without gaps.
   */
  elementGaps?: Partial<Record<Element, number>>;
  /** Written for an element gap instead of an empty cell (the file then declares it: `# missing: TOKEN`). */
  missingToken?: string;
}

export function plantLikeJominyCsv(opts: PlantCsvOptions): PlantCsv {
  const rng = createRng(opts.seed ^ 0x5a17);
  const gapRng = createRng(opts.seed ^ 0x6a9);
  const gaps: Record<string, number> = {};
  const noise = opts.flatNoiseHrc ?? 0.8;
  const heats = generateSynthetic({ n: opts.n, seed: opts.seed, noiseHrc: 0 });
  const mm = PLANT_SIXTEENTHS.map((n) => n * SIXTEENTH_MM);
  const head = ['heat', 'grade', ...PLANT_ELEMENTS, 'scale', ...PLANT_SIXTEENTHS.flatMap((n) => [`J${n}a`, `J${n}b`])].join(',');
  const lines = [
    '# synthetic: SYNTHETIC plant-like Jominy data (Ferrolab test fixture: ferrolab-synth-v1 curves, sixteenths, partial curves, two flats, some HV)',
    `# seed: ${opts.seed}`,
    '# distance-unit: sixteenths',
    ...(opts.missingToken ? [`# missing: ${opts.missingToken}`] : []),
    head,
  ];
  const truth: number[][] = [];
  let hvHeats = 0;
  for (const h of heats) {
    const curve = pchip([...DISTANCES_MM], synthTruthProfile(h.chemistry));
    const t = mm.map((d) => pchipAt(curve, d));
    truth.push(t);
    const offset = 0.3 * rng.normal();
    const measured = MEASURED_SHARE.map((share, k) => (k >= 2 && k < 12 && rng.next() < 0.04 ? false : rng.next() < share));
    const flats = t.map((v) => [v + offset + noise * rng.normal(), v + offset + noise * rng.normal()].map((x) => Math.max(6, x)));
    const minMeasured = Math.min(...flats.flatMap((f, k) => (measured[k] ? f : [])));
    const hv = rng.next() < 0.1 && minMeasured >= 21;
    if (hv) hvHeats++;
    const cell = (v: number) => (hv ? String(Math.round(hrcToHv(v))) : v.toFixed(1));
    const readings = flats.flatMap((f, k) => (measured[k] ? f.map(cell) : ['', '']));
    const chem = PLANT_ELEMENTS.map((el) => {
      if (gapRng.next() < (opts.elementGaps?.[el] ?? 0)) {
        gaps[el] = (gaps[el] ?? 0) + 1;
        return opts.missingToken ?? '';
      }
      return String(h.chemistry[el]);
    });
    lines.push([h.heatId, h.grade, ...chem, hv ? 'HV' : 'HRC', ...readings].join(','));
  }
  return { text: lines.join('\n') + '\n', heats: heats.length, hvHeats, truth, gaps };
}
