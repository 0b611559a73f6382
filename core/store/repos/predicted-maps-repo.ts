import type { Database } from 'better-sqlite3';
import type { CorrectedMapLabel, PredictionInfo } from '../../api/methods/maps.js';
import { ApiError, notFound } from '../../api/errors.js';
import { gridFromJson, type FieldGrid, type GridJson, type PointComparison, type SmoothedField, type SmoothingFit } from '../../maps/index.js';
import { gridToJson } from '../../maps/index.js';
import { nowIso } from '../tx.js';
import { phrase, PhraseSchema } from '../../api/phrase.js';
import type { StoredScaleCheck } from '../../api/methods/cnn.js';
import { scaleCheckPhrases } from '../../api/scale-check-words.js';
import { readScaleWarnings, scaleWarningsJson } from './stored-scale-warnings.js';

interface Row {
  id: number;
  billet_id: number;
  model_id: number | null;
  model_name: string | null;
  stride_mm: number;
  patch_count: number;
  masked_count: number;
  grid_json: string;
  points_json: string;
  backend: string | null;
  params_json: string;
  smoothed_json: string | null;
  corrected_json: string | null;
  scale_warnings_json: string | null;
  created_at: string;
}

/** A predicted map corrected with K readings (schema 020): what made it, the corrected field and its half-widths. */
export interface CorrectedMap {
  label: CorrectedMapLabel;
  grid: FieldGrid;
  halfWidth: Float64Array;
}

interface CorrectedJson {
  label: CorrectedMapLabel;
  grid: GridJson;
  halfWidth: (number | null)[];
}

function correctedFromJson(text: string | null): CorrectedMap | null {
  if (!text) return null;
  const j = JSON.parse(text) as CorrectedJson;
  return { label: j.label, grid: gridFromJson(j.grid), halfWidth: Float64Array.from(j.halfWidth, (v) => (v === null ? Number.NaN : v)) };
}

const correctedLabelOf = (text: string | null): CorrectedMapLabel | null => (text ? (JSON.parse(text) as CorrectedJson).label : null);

export interface StoredPrediction {
  info: PredictionInfo;
  grid: FieldGrid;
  /** Model predictions at the sampling points (same order as the billet's points at that time). */
  points: PointComparison[];
  params: Record<string, unknown>;
  /** The Gaussian-process smoothing of `grid` (null: predicted before it existed, or too few patches). */
  smoothed: SmoothedField | null;
  /** The newest correction of this map with K readings (null: none). */
  corrected: CorrectedMap | null;
}

interface SmoothedJson {
  grid: GridJson;
  fit: SmoothingFit;
}

function smoothedToJson(s: SmoothedField): string {
  return JSON.stringify({ grid: gridToJson(s.grid, 6), fit: s.fit } satisfies SmoothedJson);
}

function smoothedFromJson(text: string | null): SmoothedField | null {
  if (!text) return null;
  const j = JSON.parse(text) as SmoothedJson;
  const grid = gridFromJson(j.grid);
  return { grid, smoothedSd: grid.sd ?? new Float64Array(grid.values.length).fill(Number.NaN), fit: j.fit };
}

/** The scale the map's patches were cut at (stored in params by the maps service; absent on maps made before). */
function scaleOf(paramsJson: string): PredictionInfo['scale'] {
  const s = (JSON.parse(paramsJson) as { scale?: { label?: unknown; labelPhrase?: unknown; warning?: unknown; warningPhrase?: unknown; known?: unknown } }).scale;
  if (!s || typeof s.label !== 'string') return null;
  // the codes beside the English words (maps made before them have only the English, which is then shown)
  const code = (v: unknown) => { const p = PhraseSchema.safeParse(v); return p.success ? p.data : null; };
  return { label: s.label, labelPhrase: code(s.labelPhrase), warning: typeof s.warning === 'string' ? s.warning : null, warningPhrase: code(s.warningPhrase), known: s.known === true };
}

const toInfo = (r: Row): PredictionInfo => ({
  id: r.id,
  billetId: r.billet_id,
  modelId: r.model_id,
  modelName: r.model_name,
  strideMm: r.stride_mm,
  patchCount: r.patch_count,
  maskedCount: r.masked_count,
  backend: r.backend,
  createdAt: r.created_at,
  scale: scaleOf(r.params_json),
  corrected: correctedLabelOf(r.corrected_json),
  ...checkAndWords(readScaleWarnings(r.scale_warnings_json)),
});

/** Predicted maps: the lattice grid (mean, sd, mask) and the per-point predictions of one model run. */
export function createPredictedMapsRepo(db: Database) {
  return {
    /** `scaleCheck`: its section against its resolution tag and its model's training check, in the map's own INSERT (absent: not recorded). */
    create(p: { billetId: number; modelId: number | null; modelName: string | null; strideMm: number; patchCount: number; maskedCount: number; grid: FieldGrid; points: PointComparison[]; backend: string | null; params: Record<string, unknown>; smoothed: SmoothedField | null; scaleCheck?: StoredScaleCheck }): PredictionInfo {
      const id = Number(
        db
          .prepare(
            `INSERT INTO predicted_maps (billet_id, model_id, model_name, stride_mm, patch_count, masked_count, grid_json, points_json, backend, params_json, smoothed_json, scale_warnings_json, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(p.billetId, p.modelId, p.modelName, p.strideMm, p.patchCount, p.maskedCount, JSON.stringify(gridToJson(p.grid, 6)), JSON.stringify(p.points), p.backend, JSON.stringify(p.params), p.smoothed ? smoothedToJson(p.smoothed) : null, scaleWarningsJson(p.scaleCheck ?? null), nowIso()).lastInsertRowid,
      );
      return this.info(id);
    },
    info(id: number): PredictionInfo {
      const r = db.prepare('SELECT * FROM predicted_maps WHERE id = ?').get(id) as Row | undefined;
      if (!r) throw notFound('Predicted map', id);
      return toInfo(r);
    },
    load(id: number, billetId: number): StoredPrediction {
      const r = db.prepare('SELECT * FROM predicted_maps WHERE id = ?').get(id) as Row | undefined;
      if (!r) throw notFound('Predicted map', id);
      if (r.billet_id !== billetId) throw ApiError.said('invalid_argument', phrase('errors.store.mapOtherBillet', { id: String(id), billet: r.billet_id, given: String(billetId) }), { field: 'predictionId' });
      return { info: toInfo(r), grid: gridFromJson(JSON.parse(r.grid_json) as GridJson), points: JSON.parse(r.points_json) as PointComparison[], params: JSON.parse(r.params_json) as Record<string, unknown>, smoothed: smoothedFromJson(r.smoothed_json), corrected: correctedFromJson(r.corrected_json) };
    },
    /** Stores the smoothing of a map predicted before smoothed maps existed (fitted when first drawn). */
    setSmoothed(id: number, smoothed: SmoothedField): void {
      db.prepare('UPDATE predicted_maps SET smoothed_json = ? WHERE id = ? AND smoothed_json IS NULL').run(smoothedToJson(smoothed), id);
    },
    /** Stores the map corrected with K readings (replacing an older correction of it). */
    setCorrected(id: number, c: CorrectedMap): void {
      const f = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(6)) : null);
      const json: CorrectedJson = { label: c.label, grid: gridToJson(c.grid, 6), halfWidth: Array.from(c.halfWidth, f) };
      if (db.prepare('UPDATE predicted_maps SET corrected_json = ? WHERE id = ?').run(JSON.stringify(json), id).changes !== 1) throw notFound('Predicted map', id);
    },
    latest(billetId: number): PredictionInfo | null {
      const r = db.prepare('SELECT * FROM predicted_maps WHERE billet_id = ? ORDER BY created_at DESC, id DESC LIMIT 1').get(billetId) as Row | undefined;
      return r ? toInfo(r) : null;
    },
    list(billetId: number): PredictionInfo[] {
      return (db.prepare('SELECT * FROM predicted_maps WHERE billet_id = ? ORDER BY created_at DESC, id DESC').all(billetId) as Row[]).map(toInfo);
    },
  };
}
export type PredictedMapsRepo = ReturnType<typeof createPredictedMapsRepo>;

/** The stored check and its words (core/api/scale-check-words.ts), as the map's info carries them. */
const checkAndWords = (scaleCheck: StoredScaleCheck) => ({ scaleCheck, scaleWords: scaleCheckPhrases(scaleCheck) });
