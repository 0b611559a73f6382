import { MASK, type FieldGrid } from '../../maps/types.js';
import { krigedValue, type KrigedCorrection } from './residual-kriging.js';

/** A predicted map corrected with K readings: the corrected field and the interval half-width per cell. */
export interface CorrectedField {
  /** Same geometry and mask as the map it corrects; values = corrected carbon (wt.%), sd = null. */
  grid: FieldGrid;
  /** Half-width of the interval at `level` per cell (NaN where masked), wt.%. */
  halfWidth: Float64Array;
  level: number;
}

/**
 * Applies a regression-kriging correction (trend + kriged residuals, residual-kriging.ts) to every valid cell of
 * a predicted map: the cell's predicted value takes the trend, its centre the kriged residual. Masked cells stay
 * masked (nothing is filled where the model gave no value).
 */
export function correctField(field: FieldGrid, kc: KrigedCorrection, level = 0.9): CorrectedField {
  const values = new Float64Array(field.values.length).fill(Number.NaN);
  const halfWidth = new Float64Array(field.values.length).fill(Number.NaN);
  for (let k = 0; k < field.values.length; k++) {
    const p = field.values[k];
    if (field.mask[k] !== MASK.valid || !Number.isFinite(p)) continue;
    const i = k % field.nx;
    const v = krigedValue(kc, p, field.x0Mm + i * field.stepMm, field.y0Mm + ((k - i) / field.nx) * field.stepMm, level);
    values[k] = v.value;
    halfWidth[k] = v.halfWidth;
  }
  return { grid: { ...field, values, sd: null, mask: field.mask.slice() }, halfWidth, level };
}
