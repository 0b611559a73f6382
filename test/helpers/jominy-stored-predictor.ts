import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { createJominyModelsRepo } from '../../core/store/repos/jominy-models-repo.js';
import { nearestThreshold } from '../../core/jominy/domain.js';

/**
 * A copy of a trained JoMiner predictor (its file and its row, through the models repo) stored as older or other code
 * stores one, for the tests of how a stored coverage is stated (core/jominy/coverage-why.ts):
 * - 'before-cross-fit': as the code before the cross-fit calibration (2026-11-30) wrote it — calibration without
 *   `version`, split without `heats`, the row's metrics without split.heats and ensemble.calibrationVersion, the
 *   calibration's held-out rows as its heats — with a one-heat half's false coverage of 1.00 (overall and per point);
 * - 'half-too-small': as the current code writes a calibration whose cross-fit half could not calibrate (null coverage);
 * - 'no-ensemble': without an ensemble (trained with --ensemble 0, or before ensembles);
 * - 'before-measured-cells': as the code before calibrations were scored at the model's points (2026-12-01) wrote it —
 *   no `pointsMm`/`tauPoints`, its per-point figures at the 15 standard distances;
 * - 'before-held-out-cells': as the code before calibrations kept their held-out cells (2026-12-01) wrote it — no
 *   `heldOut`, so a P(meet band) has neither a calibration range nor a held-out check;
 * - 'before-readings-count': as the code before the held-out readings were counted wrote it — a measured coverage
 *   without `coverageReadings` (file) and `coverage90Readings` (row), so no count and no Wilson interval can be stated;
 * - 'before-domain-mask': as the code before the domain check kept to the elements the networks use wrote it — no
 *   `domain.used`, its threshold over all 15 elements (computed here by domain.ts over no mask).
 * Returns the new predictor's id.
 */
export function storeVariant(db: Database, root: string, fromId: number, variant: 'before-cross-fit' | 'half-too-small' | 'no-ensemble' | 'before-measured-cells' | 'before-held-out-cells' | 'before-readings-count' | 'before-domain-mask'): number {
  const row = db.prepare('SELECT * FROM models WHERE id = ?').get(fromId) as Record<string, string | number>;
  const model = JSON.parse(readFileSync(join(root, String(row.path)), 'utf8'));
  const metrics = JSON.parse(String(row.metrics_json));
  if (variant === 'before-cross-fit') {
    delete model.split.heats;
    delete model.ensemble.calibration.version;
    model.ensemble.calibration.coverage = 1;
    model.ensemble.calibration.coveragePoints = model.ensemble.calibration.coveragePoints.map(() => 1);
    model.ensemble.calibration.heats = model.split.test; // the old code counted the held-out rows
    delete metrics.split.heats;
    delete metrics.ensemble.calibrationVersion;
    metrics.ensemble.coverage90 = 1;
  } else if (variant === 'half-too-small') {
    model.ensemble.calibration.coverage = null;
    model.ensemble.calibration.coveragePoints = model.ensemble.calibration.coveragePoints.map(() => null);
    metrics.ensemble.coverage90 = null;
  } else if (variant === 'before-measured-cells') {
    const c = model.ensemble.calibration;
    delete c.pointsMm;
    delete c.tauPoints;
    // nor k per distance (it came after)
    for (const k of ['kPoints', 'pointRule', 'kStd', 'cellsPoints']) delete c[k];
    c.coveragePoints = c.tau.map(() => c.coverage);
    c.meanSd = c.tau.map(() => 2);
  } else if (variant === 'before-held-out-cells') {
    delete model.ensemble.calibration.heldOut;
  } else if (variant === 'before-domain-mask') {
    delete model.domain.used;
    model.domain.threshold = nearestThreshold(model.domain.points);
  } else if (variant === 'before-readings-count') {
    delete model.ensemble.calibration.coverageReadings;
    delete metrics.ensemble.coverage90Readings;
  } else {
    delete model.ensemble;
    delete metrics.ensemble;
  }
  const path = join('models', `jominy-${variant}-${fromId}.json`);
  return createJominyModelsRepo(db).insertModelWithFile(
    {
      name: `${row.name} (${variant})`,
      path,
      architecture: JSON.parse(String(row.architecture_json)),
      hyper: JSON.parse(String(row.hyper_json)),
      seed: Number(row.seed),
      fingerprint: String(row.dataset_fingerprint),
      dataset: JSON.parse(String(row.dataset_json)),
      backend: JSON.parse(String(row.backend_json)),
      history: JSON.parse(String(row.history_json)),
      metrics,
      synthetic: row.synthetic === 1,
    },
    () => writeFileSync(join(root, path), JSON.stringify(model)),
  );
}
