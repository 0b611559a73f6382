import { describe, expect, it } from 'vitest';
import { renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { appPerFile, navButton } from '../helpers/browser.js';
import { rewindSchema, taggedScan } from '../helpers/pre-024-folder.js';
import { createAppContext } from '../../core/app/context.js';
import { localClient } from '../../core/app/dispatch.js';
import { dataLayout } from '../../core/config/index.js';
import { generateSyntheticBillet } from '../../core/synth/index.js';

// Task 27-J: the background sweep of pre-024 sections announces its stored answers as one `image` change without an
// id per batch (27-D sent one per section: Annotate reloaded and the billet list re-read every billet's pores per
// event). This proves an open Annotate still shows a contradicted scale the sweep found, on that id-less change.

let source = '';
let billetId = 0;

describe('Annotate shows the scale warning a background tag sweep stored', () => {
  const s = appPerFile({
    async prepare(dataDir) {
      const ctx = createAppContext({ dataDir, shell: 'cli', backend: 'wasm' });
      try {
        const api = localClient(ctx);
        const b = generateSyntheticBillet({ seed: 41, sizePx: 800, diameterMm: 150 });
        const billet = await api['billets.create']({ name: 'Heat sweep', nominalDiameterMm: 600 }); // the tag says 150
        const upload = ctx.uploads.saveBytes(await taggedScan(b, 'png', 25.4 / b.mmPerPx));
        const end = await ctx.jobs.wait((await api['images.import']({ billetId: billet.id, upload: { uploadId: upload, name: 'sweep.png' } })).id);
        expect(end.state).toBe('done');
        billetId = billet.id;
        const img = (await api['images.forBillet']({ billetId }))!;
        source = join(dataDir, img.dziRel.replace(/tiles\.dzi$/, 'source.png'));
      } finally {
        await ctx.close();
      }
      rewindSchema(dataLayout(dataDir).database, 23);
      // the system refuses the file while Annotate first shows the section (a link to itself: ELOOP), so that show
      // leaves it pending and only the sweep below reads it
      renameSync(source, `${source}.saved`);
      symlinkSync(source, source);
    },
  });

  it('an open Annotate shows the warning once the sweep has stored the tag', async () => {
    const { page } = s;
    const tagRead = () => {
      const db = new Database(dataLayout(s.dataDir).database, { readonly: true });
      try {
        return db.prepare('SELECT tag_read FROM images WHERE billet_id = ?').pluck().get(billetId);
      } finally {
        db.close();
      }
    };
    await navButton(page, 'Annotate').click();
    await page.getByLabel('Billet', { exact: true }).selectOption(String(billetId));
    await expect.poll(() => page.getByText('sweep.png', { exact: false }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(tagRead()).toBe('pending');
    expect(await page.getByTestId('scale-warning').count()).toBe(0);
    rmSync(source);
    renameSync(`${source}.saved`, source);
    const events: unknown[] = [];
    s.ctx.bus.subscribe((e) => void (e.type === 'data-changed' && events.push(e)));
    expect(await s.ctx.sweepSectionTags()).toMatchObject({ read: 1, leftPending: 0, busy: false });
    expect(events).toEqual([{ type: 'data-changed', entity: 'image' }]);
    await expect.poll(() => page.getByTestId('scale-warning').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(
      /^The rim calibration gives 0\.8\d{4} mm\/px \(Ø600 mm over a rim [\d.]+ px across\), but the file's resolution tag says 0\.2\d{4} mm\/px \(\d+ pixels per inch\): 4\.0\d× apart\./,
    );
  });
});
