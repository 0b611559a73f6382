import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createAppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { CNN_MODEL_KIND } from '../../../core/segregation/cnn/params.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * A training run's epoch curves are stored under their split's English name; `cnn.runs.list` gives each name the
 * training makes its phrase (the Train page's run history says it in the interface's language), any other none.
 */
const { dir, cleanup } = tempDir('ferrolab-run-curves-');
afterAll(cleanup);

describe('cnn.runs.list: the phrases of a run\'s curves', () => {
  it('split k/n, without <billet> and the final model get their phrases; a name the training does not make keeps none', async () => {
    const ctx = createAppContext({ dataDir: join(dir, 'data'), shell: 'cli', backend: 'wasm' });
    try {
      const repo = createModelsRepo(ctx.db);
      const runId = repo.startRun(CNN_MODEL_KIND, {}, 1);
      const log = { epoch: 1, loss: 0.1, valMae: 0.02, seconds: 1, etaS: 0 };
      for (const name of ['split 1/3', 'without B-12', 'final model (all points)', 'my own run']) repo.appendEpoch(runId, name, log);
      const run = (await localClient(ctx)['cnn.runs.list']({})).find((r) => r.id === runId)!;
      expect(run.curvePhrases).toEqual({
        'split 1/3': { code: 'cnnSplit.random', params: { n: 1, k: 3 } },
        'without B-12': { code: 'cnnSplit.withoutBillet', params: { billet: 'B-12' } },
        'final model (all points)': { code: 'cnnSplit.final', params: {} },
      });
    } finally {
      await ctx.close();
    }
  });
});
