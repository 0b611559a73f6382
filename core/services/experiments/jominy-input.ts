import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { createJominyDatasetsRepo } from '../../store/repos/jominy-datasets-repo.js';
import type { JominyReproductionInput } from '../../experiments/registry.js';

/** JoMiner's reproduction input from a stored dataset: its heats as plain data, with a content fingerprint. */
export function loadJominyInput(db: Database, datasetId: number): JominyReproductionInput {
  const repo = createJominyDatasetsRepo(db);
  const ds = repo.getDataset(datasetId);
  const samples = repo.allSamples(datasetId);
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: 1, layout: ds.layout }));
  // NaN (not measured) is written as null by JSON: the fingerprint sees "missing", never 0.
  for (const s of samples) h.update(JSON.stringify([s.heatId, s.grade, s.grainSize, s.chemistry, s.hardness]));
  const generator = repo.datasetMeta(datasetId).generator;
  return { datasetId, name: ds.name, synthetic: ds.synthetic, generatorSeed: ds.seed, generator: typeof generator === 'string' ? generator : null, layout: ds.layout, samples, fingerprint: h.digest('hex') };
}
