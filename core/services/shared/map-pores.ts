import type { MapPores } from '../../api/methods/maps.js';
import type { PoreSummary } from '../../api/methods/images.js';

/**
 * The pores a map or report states: for a predicted map, what its porosity mask was made from (stored with the
 * prediction); otherwise the billet's stored pore detection. Shared by the maps and reports services.
 */

/** From a stored predicted map's params (older maps, made before pores were detected, have none: null). */
export function poresOfPrediction(params: Record<string, unknown>): MapPores | null {
  const p = params.pores as { count: number; minDiameterMm: number; maskFraction: number } | null | undefined;
  const masked = (params.maskedCounts as { porosity?: number } | undefined)?.porosity ?? 0;
  return p ? { count: p.count, minDiameterMm: p.minDiameterMm, maskedCells: masked, maskFraction: p.maskFraction } : null;
}

/** From the billet's stored detection (null unless detected). */
export function poresOfSummary(s: PoreSummary): MapPores | null {
  return s.status === 'detected' ? { count: s.count!, minDiameterMm: s.minDiameterMm!, maskedCells: null, maskFraction: null } : null;
}

/** The report's line, e.g. "12 (≥ 1.0 mm); 3 map cells masked as porosity (patch > 1 % pore pixels)". */
export function poresLine(p: MapPores | null, status: PoreSummary['status']): string {
  if (!p) return status === 'no-section' || status === 'not-calibrated' ? 'not searched (no calibrated section image)' : 'not searched yet (Billets → Find pores, or `ferrolab pores detect`)';
  const head = `${p.count} (≥ ${p.minDiameterMm.toFixed(1)} mm)`;
  return p.maskedCells === null ? head : `${head}; ${p.maskedCells} map cell${p.maskedCells === 1 ? '' : 's'} masked as porosity (patch > ${((p.maskFraction ?? 0) * 100).toFixed(0)} % pore pixels)`;
}
