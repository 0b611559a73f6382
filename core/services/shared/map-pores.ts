import type { MapPores } from '../../api/methods/maps.js';
import type { PoreSummary } from '../../api/methods/images.js';
import { reportTranslator, type ReportTranslate } from '../../report/index.js';

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
export function poresLine(p: MapPores | null, status: PoreSummary['status'], tr: ReportTranslate = reportTranslator('en')): string {
  if (!p) return status === 'no-section' || status === 'not-calibrated' ? tr('pores.noSection') : tr('pores.notRun');
  const head = tr('pores.head', { count: p.count, min: p.minDiameterMm.toFixed(1) });
  return p.maskedCells === null ? head : tr('pores.masked', { head, count: p.maskedCells, pct: ((p.maskFraction ?? 0) * 100).toFixed(0) });
}
