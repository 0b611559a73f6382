import type { Chemistry } from './elements.js';

/** One heat: chemistry (wt.%) and the 15-point Jominy profile (HRC). */
export interface JominySample {
  heatId: string | null;
  grade: string | null;
  grainSize: number | null;
  chemistry: Chemistry;
  /** HRC at DISTANCES_MM, in order. */
  hardness: number[];
  /** 1-based line of the source file, when it came from one. */
  lineNo?: number | null;
}
