import { createHash } from 'node:crypto';
import type { CorrectedMapLabel, MapSettings } from '../../api/methods/maps.js';
import type { Billet } from '../../api/methods/billets.js';
import { ApiError } from '../../api/errors.js';
import type { C0Source, FieldGrid, MapLanguage, MapLayer, MapPoint, MapQuantity, MeasuredPoint, PointComparison, RenderOptions, SegregationIndices, SmoothingFit } from '../../maps/index.js';
import type { SampleLabel } from '../../api/methods/cnn.js';
import type { StoredPrediction } from '../../store/repos/predicted-maps-repo.js';
import { safeFileName } from '../../runtime/file-name.js';
import type { IntervalCalibration } from '../../ml/conformal.js';
import { phrase, type Phrase } from '../../api/phrase.js';

/**
 * What the maps and reports services share about a map layer: its shape, titles, the readings rule, the
 * fingerprint inputs, and the small file helpers. Not a service: it imports no service.
 */

export function withReadings(all: readonly MapPoint[]): MeasuredPoint[] {
  return all.filter((p): p is MeasuredPoint => p.carbonWtPct !== null);
}

export function requireMeasured(b: Billet, all: readonly MapPoint[]): MeasuredPoint[] {
  const pts = withReadings(all);
  if (pts.length < 3) {
    throw ApiError.said('failed_precondition', phrase('errors.maps.fewReadings', { name: b.name, n: pts.length }));
  }
  return pts;
}

export interface Layer {
  layer: MapLayer;
  grid: FieldGrid;
  quantity: MapQuantity;
  indices: SegregationIndices | null;
  /** C0 for the colour scale: from the carbon layer's indices. */
  c0: number;
  c0Source: C0Source;
  /** The layer's note in English (the API's `method`, the CLI, the report's fallback). */
  method: string;
  /** The same note as sentences written as codes (core/services/shared/map-notes.ts); null where only English is stored. */
  methodPhrases: Phrase[] | null;
  points: PointComparison[];
  prediction: StoredPrediction | null;
  /** Predicted layer drawn smoothed: the fit (hyper-parameters, typical interval width); else null/absent. */
  smoothing?: SmoothingFit | null;
  /** Sd of the smoothed field per cell, wt.% (the smoothed predicted layer), for layers that combine intervals. */
  smoothedSd?: Float64Array | null;
  /** The predicted map's interval calibration (null: no prediction, or a model without one). */
  calibration: IntervalCalibration | null;
  /** A model's layer: what the map is to its model (in-sample on the image it trained on, else out-of-sample); null/absent otherwise or not known. */
  sample?: SampleLabel | null;
  /** The corrected layers: what corrected the map (plan, readings, K, method); else null/absent. */
  corrected?: CorrectedMapLabel | null;
  /** The measured layer: the points whose region its indices are taken over (beyond it: extrapolated); else null/absent. */
  coveredBy?: readonly { xMm: number; yMm: number }[] | null;
}

export function fingerprintInputs(b: Billet, points: MapPoint[], pred: StoredPrediction | null, extra: unknown) {
  return {
    billet: { id: b.id, name: b.name, grade: b.steelGrade, heat: b.heat, d: b.nominalDiameterMm, c0: b.bulkCarbonWtPct, synthetic: b.synthetic, notes: b.castingNotes },
    // a point read at least twice adds its count and spread (the report prints them, and the measured map's repeatability
    // upper end is taken from them); points read once keep the entry they had before replicates were printed
    points: points.map((p) => ((p.replicates ?? 1) >= 2 && p.carbonWtPct !== null ? [p.label, p.xMm, p.yMm, p.carbonWtPct, p.replicates, p.replicateSdWtPct ?? null] : [p.label, p.xMm, p.yMm, p.carbonWtPct])),
    // a correction is stored over the same prediction id (setCorrected replaces it): what corrected it and a digest of the
    // corrected field and its half-widths are part of what a report states, so re-correcting changes the fingerprint.
    // The key is there only with a correction: an uncorrected map keeps the fingerprint it had before corrections existed
    prediction: pred ? { id: pred.info.id, model: pred.info.modelId, at: pred.info.createdAt, ...(pred.corrected ? { corrected: { label: pred.corrected.label, field: correctedDigest(pred.corrected) } } : {}) } : null,
    extra,
  };
}

/** SHA-256 of a corrected map's values and half-widths (their bytes): the field itself, not only its label. */
function correctedDigest(c: { grid: FieldGrid; halfWidth: Float64Array }): string {
  const h = createHash('sha256');
  h.update(Buffer.from(Float64Array.from(c.grid.values).buffer));
  h.update(Buffer.from(Float64Array.from(c.halfWidth).buffer));
  return h.digest('hex');
}

/** A billet's name as it appears in report and grid file names. */
export function slug(s: string): string {
  return safeFileName(s, { sep: '-', fallback: 'billet' });
}

export function nanToNull<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : x))) as T;
}

/** How the reports service draws map layers (the maps service's builder, handed over by the composition root). */
export interface MapLayers {
  points(billetId: number): MapPoint[];
  /** `c0`: every index and the picture's C/C0 taken with this C0 and its source (a report's reference C0); absent/null: the layer's own. */
  build(b: Billet, layer: MapLayer, predictionId: number | undefined, s: MapSettings, c0?: { wtPct: number; source: C0Source } | null): Layer;
  /** The layer's picture options, its words in `language` (default English). */
  renderOptions(b: Billet, l: Layer, s: MapSettings, widthPx: number, title?: string, language?: MapLanguage): Promise<RenderOptions>;
  syntheticTruth(b: Billet): Promise<((x: number, y: number) => number) | null>;
}
