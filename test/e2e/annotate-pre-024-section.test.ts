import { describe, expect, it } from 'vitest';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { appPerFile, navButton } from '../helpers/browser.js';
import { rewindSchema, taggedScan } from '../helpers/pre-024-folder.js';
import { createAppContext } from '../../core/app/context.js';
import { localClient } from '../../core/app/dispatch.js';
import { dataLayout } from '../../core/config/index.js';
import { generateSyntheticBillet } from '../../core/synth/index.js';

// Task 26-D: a data folder made before migration 024 (no section's resolution tag stored) opened by this version.
// Annotate shows a stored section's contradicted scale as it shows a new import's, and says when its file could not
// be read for a tag. Fails before: nothing was shown for either (the sections were never read for their tag).

const ids = { off: 0, gone: 0 };

describe('Annotate on sections stored before resolution tags were', () => {
  const s = appPerFile({
    async prepare(dataDir) {
      const ctx = createAppContext({ dataDir, shell: 'cli', backend: 'wasm' });
      try {
        const api = localClient(ctx);
        for (const [key, seed] of [['off', 31], ['gone', 32]] as const) {
          const b = generateSyntheticBillet({ seed, sizePx: 800, diameterMm: 150 });
          const billet = await api['billets.create']({ name: `Heat ${key}`, nominalDiameterMm: 600 }); // the tag says 150
          const upload = ctx.uploads.saveBytes(await taggedScan(b, 'png', 25.4 / b.mmPerPx));
          const end = await ctx.jobs.wait((await api['images.import']({ billetId: billet.id, upload: { uploadId: upload, name: `${key}.png` } })).id);
          expect(end.state).toBe('done');
          ids[key] = billet.id;
          if (key === 'gone') {
            const img = (await api['images.forBillet']({ billetId: billet.id }))!;
            const source = join(dataDir, img.dziRel.replace(/tiles\.dzi$/, 'source.png'));
            renameSync(source, `${source}.away`);
          }
        }
      } finally {
        await ctx.close();
      }
      rewindSchema(dataLayout(dataDir).database, 23);
    },
  });

  it('a section 4× off its tag is flagged when shown; one whose file is gone says its scale was not checked', async () => {
    const { page } = s;
    await navButton(page, 'Annotate').click();
    await page.getByLabel('Billet', { exact: true }).selectOption(String(ids.off));
    const warning = page.getByTestId('scale-warning');
    await expect.poll(() => warning.textContent().catch(() => ''), { timeout: 30_000 }).toMatch(
      /^The rim calibration gives 0\.8\d{4} mm\/px \(Ø600 mm over a rim [\d.]+ px across\), but the file's resolution tag says 0\.2\d{4} mm\/px \(\d+ pixels per inch\): 4\.0\d× apart\. Check the diameter typed/,
    );
    expect(await page.getByTestId('scale-unchecked').count()).toBe(0);
    await page.getByLabel('Billet', { exact: true }).selectOption(String(ids.gone));
    await expect.poll(() => page.getByTestId('scale-unchecked').textContent().catch(() => ''), { timeout: 30_000 }).toBe(
      "The scale could not be checked against a resolution tag: this section's stored file was missing or damaged when Ferrolab first read it for one.",
    );
    expect(await warning.count()).toBe(0);
    const stored = s.ctx.db.prepare('SELECT billet_id AS b, tag_read AS r FROM images ORDER BY billet_id').all();
    expect(stored).toEqual([{ b: ids.off, r: 'read' }, { b: ids.gone, r: 'unreadable' }]);
  });
});
