import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileWhole } from '../../runtime/write-whole.js';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ServiceContext } from '../context.js';
import { ApiError } from '../../api/errors.js';
import { inTransaction } from '../../store/tx.js';
import { createModelsRepo, type ModelRecord } from '../../store/repos/models-repo.js';
import { readModelDir, writeModelDir } from '../../ml/model-io.js';
import { validateArchitecture, type ArchitectureSpec } from '../../ml/architecture.js';
import { CNN_MODEL_KIND } from '../../segregation/cnn/params.js';
import { safeFileName } from '../../runtime/file-name.js';
import { phrase } from '../../api/phrase.js';
import { modelLineage } from '../shared/model-lineage.js';
import type { StoredScaleCheck } from '../../api/methods/cnn.js';
import { storedScaleCheck } from '../../store/repos/stored-scale-warnings.js';

export const MODEL_BUNDLE_FORMAT = 'ferrolab-model/1';

/** One file with the DB record and the tfjs model (model.json topology + base64 weights). */
interface ModelBundle {
  format: typeof MODEL_BUNDLE_FORMAT;
  exportedAt: string;
  record: Omit<ModelRecord, 'id' | 'path' | 'parentModelId'> & { originalId: number; parentModelId: number | null };
  modelTopology: object;
  weightSpecs: unknown[];
  weightsBase64: string;
  /**
   * sha256 of the content (record, topology, weight specs, weights), written at export and checked at import: one
   * base64 letter changed in transit kept the file's length and imported weights its metrics no longer described.
   * Files exported before it have none and are read as before.
   */
  sha256?: string;
}

/** The checksum of a bundle's content: the same JSON text at export and, re-serialised from the parsed file, at import. */
function bundleSha256(b: Pick<ModelBundle, 'record' | 'modelTopology' | 'weightSpecs' | 'weightsBase64'>): string {
  return createHash('sha256').update(JSON.stringify([b.record, b.modelTopology, b.weightSpecs, b.weightsBase64])).digest('hex');
}

export function deleteModel(ctx: ServiceContext, id: number): ModelRecord {
  const repo = createModelsRepo(ctx.db);
  const rec = inTransaction(ctx.db, () => repo.delete(id));
  // Files after the row: a crash in between leaves an orphan folder, never a record without files.
  rmSync(join(ctx.paths.root, rec.path), { recursive: true, force: true });
  ctx.bus.emit({ type: 'data-changed', entity: 'model', id });
  return rec;
}

/** Writes `reports/models/<name>.ferrolab-model.json` and returns its path relative to the data folder. */
export function exportModel(ctx: ServiceContext, id: number, destFile?: string): { rel: string | null; file: string; bytes: number } {
  const rec = createModelsRepo(ctx.db).get(id);
  const a = readModelDir(join(ctx.paths.root, rec.path));
  // the ancestors' training data travels with a fine-tune (task 27-G): the folder it goes to may not hold its parent
  const lineage = modelLineage(ctx.db, rec);
  const dataset = rec.dataset && typeof rec.dataset === 'object' && (lineage.ancestors.length || !lineage.complete) ? { ...(rec.dataset as object), lineage } : rec.dataset;
  const bundle: ModelBundle = {
    format: MODEL_BUNDLE_FORMAT,
    exportedAt: new Date().toISOString(),
    record: { ...rec, dataset, originalId: rec.id, parentModelId: rec.parentModelId } as ModelBundle['record'],
    modelTopology: a.modelTopology,
    weightSpecs: a.weightSpecs,
    weightsBase64: Buffer.from(a.weightData).toString('base64'),
  };
  delete (bundle.record as Partial<ModelRecord>).id;
  delete (bundle.record as Partial<ModelRecord>).path;
  bundle.sha256 = bundleSha256(bundle);
  const text = JSON.stringify(bundle);
  const safe = safeFileName(rec.name, { maxLength: 80, fallback: 'model' });
  let rel: string | null = null;
  let file: string;
  if (destFile) file = destFile;
  else {
    rel = `reports/models/model-${rec.id}-${safe}.ferrolab-model.json`;
    file = join(ctx.paths.root, rel);
    mkdirSync(join(ctx.paths.root, 'reports/models'), { recursive: true });
  }
  writeFileWhole(file, text);
  return { rel, file, bytes: Buffer.byteLength(text) };
}

/** Reads a bundle, checks it, and stores it as a new model (its lineage is kept only if the parent exists here). */
export function importModel(ctx: ServiceContext, file: string, name?: string): ModelRecord {
  let bundle: ModelBundle;
  try {
    bundle = JSON.parse(readFileSync(file, 'utf8')) as ModelBundle;
  } catch {
    // answered: the user hears that the file is not a model bundle
    throw ApiError.said('invalid_argument', phrase('errors.cnn.notModelJson'), { field: 'file' });
  }
  if (bundle?.format !== MODEL_BUNDLE_FORMAT) throw ApiError.said('invalid_argument', phrase('errors.cnn.notModelFormat', { format: String(bundle?.format), expected: MODEL_BUNDLE_FORMAT }), { field: 'file' });
  if (bundle.sha256 !== undefined && bundle.sha256 !== bundleSha256(bundle)) throw ApiError.said('invalid_argument', phrase('modelChecksum.mismatch'), { field: 'file' });
  const r = bundle.record;
  if (r.kind !== CNN_MODEL_KIND) throw ApiError.said('invalid_argument', phrase('errors.cnn.modelKind', { kind: String(r.kind) }), { field: 'file' });
  try {
    validateArchitecture(r.architecture as ArchitectureSpec);
  } catch (err) {
    throw ApiError.said('invalid_argument', phrase('errors.cnn.modelFileBad', { detail: err instanceof Error ? err.message : String(err) }), { field: 'file' });
  }
  const weights = Buffer.from(bundle.weightsBase64, 'base64');
  const artifacts = {
    modelTopology: bundle.modelTopology,
    weightSpecs: bundle.weightSpecs as never,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
  };
  const expected = (bundle.weightSpecs as { shape: number[] }[]).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (expected !== artifacts.weightData.byteLength) throw ApiError.said('invalid_argument', phrase('errors.cnn.modelDamaged', { bytes: artifacts.weightData.byteLength, expected }), { field: 'file' });
  const repo = createModelsRepo(ctx.db);
  const parentExists = r.parentModelId !== null && repo.exists(r.parentModelId);
  // The folder is renamed into place inside the transaction; if the COMMIT then fails, it goes again (a kill
  // there leaves it for writeModelDir to move aside when the id is handed out again).
  let written: string | null = null;
  let rec: ModelRecord;
  try {
    rec = inTransaction(ctx.db, () =>
      repo.insert(
        {
          kind: r.kind,
          name: name ?? `${r.name} (imported)`.slice(0, 200),
          parentModelId: parentExists ? r.parentModelId : null,
          architecture: r.architecture,
          hyper: r.hyper,
          seed: r.seed,
          datasetFingerprint: r.datasetFingerprint,
          // a fine-tune exported before its ancestors' data travelled with it: what they trained on is unknown here
          dataset: r.parentModelId !== null && r.dataset && typeof r.dataset === 'object' && !('lineage' in r.dataset) ? { ...(r.dataset as object), lineage: { ancestors: [], complete: false } } : r.dataset,
          backend: r.backend,
          history: r.history,
          metrics: r.metrics,
          synthetic: r.synthetic,
          // a bundle's record carries them since migration 028; an older bundle's (or an unreadable value): not recorded
          scaleCheck: importedScaleCheck(r),
        },
        (rel) => {
          writeModelDir(join(ctx.paths.root, rel), artifacts, { ferrolab: { kind: r.kind, importedFrom: r.originalId } });
          written = join(ctx.paths.root, rel);
        },
      ),
    );
  } catch (err) {
    if (written) rmSync(written, { recursive: true, force: true });
    throw err;
  }
  ctx.bus.emit({ type: 'data-changed', entity: 'model', id: rec.id });
  return rec;
}

/** Copies a stored model's tfjs folder somewhere (CLI `--out`). */
export function copyModelFolder(ctx: ServiceContext, id: number, dest: string): void {
  const rec = createModelsRepo(ctx.db).get(id);
  if (existsSync(dest)) throw ApiError.said('conflict', phrase('errors.cnn.destExists', { path: dest }));
  cpSync(join(ctx.paths.root, rec.path), dest, { recursive: true });
}

/** The scale check an exported record carried (`scaleWarnings` from the first build of 028), read through the contract's schema (absent or unreadable: not recorded). */
function importedScaleCheck(r: Partial<ModelRecord> & { scaleWarnings?: unknown }): StoredScaleCheck {
  return storedScaleCheck(r.scaleCheck ?? r.scaleWarnings ?? null);
}
