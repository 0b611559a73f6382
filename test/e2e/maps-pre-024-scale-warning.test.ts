import { describe, expect, it } from 'vitest';
import { appPerFile, navButton } from '../helpers/browser.js';
import { rewindSchema } from '../helpers/pre-024-folder.js';
import { createAppContext } from '../../core/app/context.js';
import { localClient } from '../../core/app/dispatch.js';
import { dataLayout } from '../../core/config/index.js';
import { offTagBillet } from '../helpers/off-tag-billet.js';

// Review 26d: a lab that upgrades and goes straight to Maps with a section imported before migration 024 (no tag
// stored) must be told when that section's scale is 4× off its file's resolution tag, without opening Annotate.
// Fails before: the predicted map was made and nothing was said (the section stayed unread).

const ids = { billet: 0, model: 0 };

describe('Maps on a section stored before resolution tags were', () => {
  const s = appPerFile({
    async prepare(dataDir) {
      const ctx = createAppContext({ dataDir, shell: 'cli', backend: 'wasm' });
      try {
        const api = localClient(ctx);
        const billet = { id: await offTagBillet(ctx) };
        const trained = await ctx.jobs.wait(
          (await api['cnn.train']({ billetIds: [billet.id], preset: 'compact', architecture: { inputSize: 16, blocks: 2, baseFilters: 4, dense: [8], dropout: 0 }, hyper: { epochs: 1, patience: 1 }, splits: 2, refit: false, seed: 3 })).id,
        );
        expect(trained.state).toBe('done');
        ids.billet = billet.id;
        ids.model = (trained.result as { modelId: number }).modelId;
      } finally {
        await ctx.close();
      }
      rewindSchema(dataLayout(dataDir).database, 23); // the section as an older Ferrolab stored it: no tag, never compared
    },
  });

  it('a predicted map of a section 4× off its tag says so beside the prediction, naming the billet', async () => {
    const { page } = s;
    expect(s.ctx.db.prepare('SELECT tag_read FROM images').pluck().all()).toEqual(['pending']);
    await navButton(page, 'Maps').click();
    await page.getByLabel('Billet', { exact: true }).selectOption(String(ids.billet));
    await page.getByLabel('Model', { exact: true }).selectOption(String(ids.model));
    await page.getByLabel('Stride in mm').fill('100');
    await page.getByRole('button', { name: 'Predict map' }).click();
    await expect.poll(() => page.getByTestId('map-scale-warning').textContent().catch(() => ''), { timeout: 60_000 }).toMatch(
      /^⚠ Billet Heat Ø600: The rim calibration gives \d\.\d{5} mm\/px \(Ø600 mm over a rim [\d.]+ px across\), but the file's resolution tag says 0\.\d{5} mm\/px \(\d+ pixels per inch\): 4\.0\d× apart\./,
    );
    expect(s.ctx.db.prepare('SELECT tag_read FROM images').pluck().all()).toEqual(['read']);
    // stored with the map (task 27-B): the chosen map says it beside its scale, read back from the map's record
    await expect.poll(() => page.getByTestId('map-stored-scale-warning').first().textContent().catch(() => '')).toMatch(/^⚠ Billet Heat Ø600: The rim calibration gives .* 4\.0\d× apart\./);
  });
});
