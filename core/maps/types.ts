/**
 * Shapes of the maps domain. Coordinates are millimetres relative to the billet centre, x to the right,
 * y downwards (the image convention shared with core/imaging and core/segregation).
 */

/** One sampling point with its carbon value (the mean of its replicate readings). */
export interface MeasuredPoint {
  label: string;
  xMm: number;
  yMm: number;
  carbonWtPct: number;
  /** Number of replicate readings averaged into carbonWtPct. */
  replicates?: number;
  /** Their sample sd (n − 1), wt.%; null or absent with a single reading. */
  replicateSdWtPct?: number | null;
}

/** Why a grid cell carries no value. */
export const MASK = {
  valid: 0,
  /** Cell centre outside the section circle. */
  outside: 1,
  /** Porosity / shrinkage cavity flagged by the quality gate. */
  porosity: 2,
  /** Etch contrast too low for the model (quality gate). */
  lowContrast: 3,
  /** Any other quality-gate flag (blur, glare, scratch…). */
  quality: 4,
} as const;
export type MaskCode = (typeof MASK)[keyof typeof MASK];
export type MaskReason = Exclude<keyof typeof MASK, 'valid'>;
export const MASK_REASONS: readonly MaskReason[] = ['outside', 'porosity', 'lowContrast', 'quality'];

/**
 * A scalar field on a square lattice of cell centres covering the section:
 * cell (i, j) has its centre at (x0Mm + i·stepMm, y0Mm + j·stepMm); row-major index j·nx + i.
 * `values` is NaN where `mask` is not MASK.valid.
 */
export interface FieldGrid {
  nx: number;
  ny: number;
  x0Mm: number;
  y0Mm: number;
  stepMm: number;
  radiusMm: number;
  values: Float64Array;
  /** Standard deviation per cell (predicted maps: spread over the TTA views), else null. */
  sd: Float64Array | null;
  mask: Uint8Array;
}

/** `corrected` / `corrected-uncertainty`: a predicted map corrected with K analysed readings and its interval half-width. */
export type MapLayer = 'measured' | 'predicted' | 'difference' | 'uncertainty' | 'corrected' | 'corrected-uncertainty';
export const MAP_LAYERS: readonly MapLayer[] = ['measured', 'predicted', 'difference', 'uncertainty', 'corrected', 'corrected-uncertainty'];
