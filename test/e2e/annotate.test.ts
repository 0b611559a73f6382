import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { join } from 'node:path';
import { appPerFile, dragBy } from '../helpers/browser.js';
import { apiCalls, logApiCalls } from '../helpers/api-traffic.js';
import { createPointsRepo } from '../../core/store/repos/points-repo.js';
import { localClient } from '../../core/app/dispatch.js';
import { generateSyntheticBillet, syntheticSectionPng } from '../../core/synth/index.js';

/**
 * One annotation session, as a user works through it: the tests form a SEQUENCE on one page and one
 * billet (load the demo → type readings → edit points → import CSVs → preview → new image → attach
 * patches → replicates), and several check that earlier work survived the later step (e.g. the typed
 * P01/P03 readings after a refused CSV). Splitting them would mean re-creating that history in each
 * test; the file as a whole still depends on nothing outside it (its own app and data folder).
 */
describe('Annotate view end to end', () => {
  const s = appPerFile();
  let billetId: number;
  const mean = (label: string) => createPointsRepo(s.ctx.db).get(billetId, label).meanWtPct;
  const row = (label: string) => s.page.getByTestId('readings-table').locator(`tr[data-label="${label}"]`);

  it('loads the synthetic demo billet and shows its 85 points', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Annotate' }).click();
    await page.getByText('Demo options').click();
    await page.getByLabel('Demo image size').selectOption('1000');
    await page.getByRole('button', { name: 'Load demo billet' }).click();
    await expect.poll(() => page.getByTestId('point').count(), { timeout: 120_000 }).toBe(85);
    const billets = s.ctx.repos.billets.list();
    expect(billets).toHaveLength(1);
    expect(billets[0]).toMatchObject({ synthetic: true, pointCount: 85, readingCount: 85, imageCount: 1 });
    billetId = billets[0].id;
    await expect.poll(() => page.getByTestId('readings-table').locator('tbody tr').count()).toBe(85);
    await page.getByText('synthetic', { exact: true }).first().waitFor();
    await s.screenshot('annotate-demo');
    // markers keep their screen size when zooming in (they used to grow with the zoom and hide the structure)
    const marker = page.getByTestId('point').first().locator('circle').last();
    const before = (await marker.boundingBox())!.width;
    const viewer = page.getByTestId('section-viewer');
    const z0 = Number(await viewer.getAttribute('data-zoom'));
    await viewer.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('+');
    await expect.poll(async () => Number(await viewer.getAttribute('data-zoom')) / z0).toBeGreaterThan(2.4);
    await expect.poll(async () => Math.abs((await marker.boundingBox())!.width - before)).toBeLessThan(1.5);
    await page.keyboard.press('0');
  });

  it('types three readings with Enter moving to the next point; they persist across a reload', async () => {
    const { page } = s;
    await row('P01').getByRole('textbox').click();
    await page.keyboard.type('0.512');
    await page.keyboard.press('Enter');
    // Enter saved P01 and moved the focus to P02's cell
    await expect.poll(() => page.locator('input:focus').getAttribute('data-label')).toBe('P02');
    await page.keyboard.type('0.433 0.437'); // English UI: a decimal point (a comma is refused; see locale-numbers.test.ts)
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('input:focus').getAttribute('data-label')).toBe('P03');
    await page.keyboard.type('0.455');
    await page.keyboard.press('Enter');
    await expect.poll(() => mean('P03')).toBe(0.455);
    expect(mean('P01')).toBe(0.512);
    expect(mean('P02')).toBeCloseTo(0.435, 12);
    expect(createPointsRepo(s.ctx.db).get(billetId, 'P02').readings.map((r) => r.carbonWtPct)).toEqual([0.433, 0.437]);

    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Annotate' }).click();
    await page.getByLabel('Billet', { exact: true }).selectOption(String(billetId));
    await expect.poll(() => page.getByTestId('point').count()).toBe(85);
    await expect.poll(() => row('P01').getByTestId('mean').textContent()).toBe('0.512');
    expect(await row('P02').getByTestId('mean').textContent()).toMatch(/^0\.435 ± 0\.0028$/);
    expect(await row('P03').getByTestId('mean').textContent()).toBe('0.455');
    // the selection follows the table: P03's row focused → its marker is selected
    await row('P03').getByRole('textbox').focus();
    await expect.poll(() => page.locator('[data-testid="point"][data-label="P03"] circle').count()).toBe(2);
  });

  it('drags, adds and deletes points with undo/redo; undoing a delete brings the readings back', async () => {
    const { page } = s;
    const repo = () => createPointsRepo(s.ctx.db);
    const marker = (label: string) => page.locator(`[data-testid="point"][data-label="${label}"]`);
    const before = repo().get(billetId, 'P43');
    expect([before.xMm, before.yMm]).toEqual([0, 0]);
    await dragBy(page, marker('P43').locator('circle').last(), 30, 10);
    await expect.poll(() => repo().get(billetId, 'P43').xMm).toBeGreaterThan(5);
    const moved = repo().get(billetId, 'P43');
    expect(moved.yMm).toBeGreaterThan(1);
    expect(moved.meanWtPct).toBe(before.meanWtPct); // moving keeps the readings
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => repo().get(billetId, 'P43').xMm).toBe(0);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => repo().get(billetId, 'P43').xMm).toBe(moved.xMm);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => repo().get(billetId, 'P43').xMm).toBe(0);

    // add: between P42 and P43 (half a lattice spacing left of the centre)
    await page.getByRole('button', { name: 'Add point' }).click();
    const b42 = (await marker('P42').locator('circle').last().boundingBox())!;
    const c43 = (await marker('P43').locator('circle').last().boundingBox())!;
    await page.mouse.click((b42.x + c43.x) / 2 + b42.width / 2, b42.y + b42.height / 2 + 0.5 * (c43.y - b42.y));
    await expect.poll(() => repo().list(billetId).length).toBe(86);
    const added = repo().get(billetId, 'P86');
    expect(added.xMm).toBeLessThan(0);
    expect(added.xMm).toBeGreaterThan(-59);
    expect(Math.abs(added.yMm)).toBeLessThan(6);
    await page.keyboard.press('Escape'); // leave add mode
    await page.getByRole('button', { name: 'Add point' }).waitFor();
    // P86 was selected on creation: Shift+Delete in its row removes it (no readings → no question)
    await row('P86').getByRole('textbox').focus();
    await page.keyboard.press('Shift+Delete');
    await expect.poll(() => repo().list(billetId).length).toBe(85);

    // delete a point with a reading: confirmation, then undo restores the reading
    await marker('P43').locator('circle').last().click();
    await page.getByRole('button', { name: 'Delete point' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete point and readings' }).click();
    await expect.poll(() => repo().list(billetId).length).toBe(84);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => repo().list(billetId).length).toBe(85);
    await expect.poll(() => repo().get(billetId, 'P43').meanWtPct).toBe(before.meanWtPct);
    expect(repo().get(billetId, 'P43').source).toBe('added'); // re-created by the undo
    // The database is ahead of the page by one render: wait for the page, don't sample it.
    await expect.poll(() => page.getByTestId('point').count()).toBe(85);
  });

  it('a CSV with one bad line imports nothing and names the line', async () => {
    const { page } = s;
    const file = join(s.dataDir, 'tmp', 'analyzer-export.csv');
    writeFileSync(file, 'Sample name;C [%];S [%]\nP01;0,401;0,010\nP02;0,4x1;0,011\nP03;0,402;0,009\n');
    await page.getByRole('button', { name: 'Import CSV…' }).click();
    await page.getByTestId('csv-file').setInputFiles(file);
    const errors = page.getByTestId('csv-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('line 3: column "C [%]": value "0,4x1" is not a plain decimal number');
    expect(await page.getByTestId('csv-preview').textContent()).toContain('delimiter ;, decimal commas');
    expect(await page.getByRole('dialog').getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(mean('P01')).toBe(0.512);
    expect(mean('P03')).toBe(0.455);

    // the same file fixed imports all rows at once
    writeFileSync(file, 'Sample name;C [%];S [%]\nP01;0,401;0,010\nP02;0,411;0,011\nP03;0,402;0,009\n');
    await page.getByRole('button', { name: 'Import CSV…' }).click();
    await page.getByTestId('csv-file').setInputFiles(file);
    await page.getByRole('dialog').getByRole('button', { name: 'Import 3 readings' }).click();
    await expect.poll(() => mean('P02')).toBe(0.411);
    expect(mean('P01')).toBe(0.401);
    await expect.poll(() => row('P01').getByTestId('mean').textContent()).toBe('0.401');
  });

  it('previews the selected point’s patch (raw vs CLAHE) with its quality figures', async () => {
    const { page } = s;
    await page.getByText('Patch preview (raw vs CLAHE').click();
    await row('P43').getByRole('textbox').focus();
    const panel = page.getByTestId('patch-preview');
    await panel.getByRole('img', { name: 'CLAHE patch' }).waitFor();
    expect(await panel.locator('header strong').textContent()).toBe('P43');
    expect(await panel.getByText('RMS contrast').count()).toBe(1);
    await s.screenshot('annotate-patch');
  });

  it('imports a section image through the file picker as a job and calibrates it', async () => {
    const { page } = s;
    const b = generateSyntheticBillet({ seed: 5, sizePx: 400 });
    const file = join(s.dataDir, 'tmp', 'etched-section.png');
    writeFileSync(file, await syntheticSectionPng(b));
    await page.getByTestId('image-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('annotate-status').textContent(), { timeout: 60_000 }).toContain('Imported etched-section.png (400×400 px)');
    const img = s.ctx.db.prepare('SELECT original_name, circle_r_px, circle_source FROM images WHERE billet_id = ?').get(billetId) as { original_name: string; circle_r_px: number; circle_source: string };
    expect(img.original_name).toBe('etched-section.png');
    expect(img.circle_source).toBe('auto');
    expect(Math.abs(img.circle_r_px - b.circle.r) / b.circle.r).toBeLessThan(0.02);
    // the points and readings are untouched by a new image
    expect(createPointsRepo(s.ctx.db).list(billetId)).toHaveLength(85);
  });

  it('a section whose resolution tag contradicts its rim calibration is imported with a warning; a rim that agrees clears it, restoring the fitted rim brings it back', async () => {
    const { page } = s;
    const b = generateSyntheticBillet({ seed: 5, sizePx: 800 });
    // tagged at twice its true resolution (a scanner's exact tag, not a camera default): the rim fit is right, the tag says half the mm per px
    const file = join(s.dataDir, 'tmp', 'tagged-section.png');
    writeFileSync(file, await sharp(b.data, { raw: { width: b.width, height: b.height, channels: 1 } }).withMetadata({ density: (2 * 25.4) / b.mmPerPx }).png().toBuffer());
    await page.getByTestId('image-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('annotate-status').textContent(), { timeout: 60_000 }).toContain('Imported tagged-section.png (800×800 px)');
    const warning = page.getByTestId('scale-warning');
    await expect.poll(() => warning.textContent().catch(() => '')).toMatch(/^The rim calibration gives \d\.\d{5} mm\/px \(Ø\d+ mm over a rim [\d.]+ px across\), but the file's resolution tag says \d\.\d{5} mm\/px \(\d+ pixels per inch\): 2\.0\d× apart\. Check the diameter typed/);
    const img = (await localClient(s.ctx)['images.forBillet']({ billetId }))!;
    expect(img.scaleWarning?.code).toBe('scale.tagContradicts');
    await s.screenshot('annotate-scale-warning');
    // a rim twice as large halves the calibration's mm per px: it agrees with the tag, the warning goes (the view re-reads the record)
    await localClient(s.ctx)['images.setCircle']({ imageId: img.id, circle: { ...img.circle!, r: 2 * img.circle!.r } });
    await expect.poll(() => warning.count()).toBe(0);
    // the Annotate rim control restores the fitted rim: the contradiction is said again
    await page.getByRole('button', { name: 'Auto rim' }).click();
    await expect.poll(() => warning.textContent().catch(() => '')).toContain('2.0');
    await expect.poll(() => page.getByTestId('annotate-status').textContent()).toContain('Rim set (found automatically)');
    // the diameter corrected elsewhere (only a 'billet' event): half of it makes the rim calibration agree with the tag,
    // and the view re-reads the record — the warning had stayed until the next points or image change (task 24-H)
    const { nominalDiameterMm } = await localClient(s.ctx)['billets.get']({ id: billetId });
    await localClient(s.ctx)['billets.update']({ id: billetId, nominalDiameterMm: nominalDiameterMm / 2 });
    await expect.poll(() => warning.count()).toBe(0);
    await localClient(s.ctx)['billets.update']({ id: billetId, nominalDiameterMm });
    await expect.poll(() => warning.textContent().catch(() => '')).toContain('2.0');
  });

  it('an oblique photo (the section squeezed to 1200×1000 px) imports without a rim: the status says why and how to give it by hand', async () => {
    const { page } = s;
    const png = await syntheticSectionPng(generateSyntheticBillet({ seed: 7, sizePx: 1200 }));
    const file = join(s.dataDir, 'tmp', 'oblique-section.png');
    writeFileSync(file, await sharp(png).resize(1200, 1000, { fit: 'fill' }).png().toBuffer());
    await page.getByTestId('image-file').setInputFiles(file);
    const status = page.getByTestId('annotate-status');
    // before, it calibrated at 0.47319 mm/px from a circle reaching 297 px above the image, and said nothing
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('The automatic rim was not taken: only 254 of 720 edge points (35 %) lie on the fitted circle');
    expect(await status.textContent()).toContain('give the rim by hand in Annotate (“Rim: click 3 points”)');
    const img = s.ctx.db.prepare('SELECT original_name, circle_r_px, circle_source FROM images WHERE billet_id = ?').get(billetId);
    expect(img).toEqual({ original_name: 'oblique-section.png', circle_r_px: null, circle_source: null });
  });

  it('imports a 12-bit camera\'s section stored in 16 bits with "Significant bits" 12, and says so; "as stored" imports a plain one again', async () => {
    const { page } = s;
    const b = generateSyntheticBillet({ seed: 5, sizePx: 400 });
    const grey = await sharp(await syntheticSectionPng(b)).toColourspace('b-w').raw().toBuffer();
    const twelve = Uint16Array.from(grey, (v) => Math.round((v * 4095) / 255));
    const file = join(s.dataDir, 'tmp', 'camera12.png');
    writeFileSync(file, await sharp(twelve, { raw: { width: 400, height: 400, channels: 1 } }).toColourspace('grey16').png().toBuffer());
    await page.getByTestId('significant-bits').selectOption('12');
    await page.getByTestId('image-file').setInputFiles(file);
    const status = page.getByTestId('annotate-status');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('Imported camera12.png (400×400 px)');
    await expect.poll(() => status.textContent()).toContain('camera12.png · 12 of 16 bits significant (scaled ×16)');
    const stored = () => s.ctx.db.prepare('SELECT original_name AS name, significant_bits AS bits FROM images WHERE billet_id = ?').get(billetId);
    expect(stored()).toEqual({ name: 'camera12.png', bits: 12 });
    // the declaration was that file's: the select is back to "as stored", so the next plain file imports as it is
    expect(await page.getByTestId('significant-bits').inputValue()).toBe('');
    await page.getByTestId('image-file').setInputFiles(join(s.dataDir, 'tmp', 'etched-section.png'));
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('Imported etched-section.png (400×400 px)');
    expect(await status.textContent()).not.toContain('significant');
    expect(stored()).toEqual({ name: 'etched-section.png', bits: null });
  });

  it('attaches a folder of patch images: a bad folder is refused naming the file; a good one marks the point and the preview shows it', async () => {
    const { page } = s;
    const noise = (seed: number) => Uint8Array.from({ length: 80 * 80 }, (_, i) => (i * 13 + seed * 71 + ((i * seed) % 17) * 11) & 255);
    const png = (seed: number) => sharp(noise(seed), { raw: { width: 80, height: 80, channels: 1 } }).png().toBuffer();
    const bad = join(s.dataDir, 'tmp', 'bad-patches');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'P43.png'), await png(1));
    writeFileSync(join(bad, 'P999.png'), await png(2));
    await page.getByTestId('patch-folder').setInputFiles(bad);
    const report = page.getByTestId('attach-report');
    await expect.poll(() => report.textContent(), { timeout: 30_000 }).toContain('Nothing attached');
    expect(await page.getByTestId('attach-errors').textContent()).toContain('P999.png: "P999" is not a point label of this billet');
    expect((s.ctx.db.prepare('SELECT COUNT(*) AS n FROM attached_patches').get() as { n: number }).n).toBe(0);

    const good = join(s.dataDir, 'tmp', 'patch-folder');
    mkdirSync(good, { recursive: true });
    writeFileSync(join(good, 'P43.png'), await png(1));
    writeFileSync(join(good, 'Thumbs.db'), 'x');
    await page.getByTestId('patch-folder').setInputFiles(good);
    await expect.poll(() => report.textContent(), { timeout: 30_000 }).toContain('Attached 1 patch image');
    expect(await report.textContent()).toContain('Ignored: Thumbs.db');
    await row('P43').getByTestId('attached-mark').waitFor();
    expect(await page.getByTestId('attached-mark').count()).toBe(1);
    const rec = s.ctx.db.prepare('SELECT point_label, original_name, width FROM attached_patches WHERE billet_id = ?').get(billetId);
    expect(rec).toEqual({ point_label: 'P43', original_name: 'P43.png', width: 80 });

    await row('P42').getByRole('textbox').focus();
    await row('P43').getByRole('textbox').focus();
    const panel = page.getByTestId('patch-preview');
    await expect.poll(() => panel.getByTestId('patch-source').textContent().catch(() => ''), { timeout: 30_000 }).toBe('attached: P43.png');
    expect(await panel.locator('header strong').textContent()).toBe('P43');
    await s.screenshot('annotate-attached-patch');
  });

  it('refuses repeated labels until the user says the rows are replicates', async () => {
    const { page } = s;
    const file = join(s.dataDir, 'tmp', 'repeats.csv');
    writeFileSync(file, 'Sample;C [%]\nP20;0,401\nP21;0,398\nP20;0,405\n');
    await page.getByRole('button', { name: 'Import CSV…' }).click();
    await page.getByTestId('csv-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('csv-errors').textContent()).toContain('line 4: point P20 appears on lines 2, 4: repeated labels are refused');
    expect(await page.getByRole('dialog').getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);
    await page.getByTestId('csv-rows-replicates').check();
    await expect.poll(() => page.getByTestId('csv-errors').count()).toBe(0);
    await page.getByRole('dialog').getByRole('button', { name: 'Import 3 readings' }).click();
    await expect.poll(() => createPointsRepo(s.ctx.db).get(billetId, 'P20').readings.map((r) => [r.replicateNo, r.carbonWtPct])).toEqual([[1, 0.401], [2, 0.405]]);
  });

  it('re-maps the replicate column in the CSV dialog: "none" numbers replicates in file order', async () => {
    const { page } = s;
    const file = join(s.dataDir, 'tmp', 'runs.csv');
    writeFileSync(file, 'Sample;Run;C [%]\nP10;1;0,401\nP10;1;0,405\n');
    await page.getByRole('button', { name: 'Import CSV…' }).click();
    await page.getByTestId('csv-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('csv-errors').textContent()).toContain('line 3: P10 replicate 1 already appears on line 2');
    await page.getByTestId('csv-replicate').selectOption('none');
    await expect.poll(() => page.getByTestId('csv-errors').count()).toBe(0);
    await page.getByRole('dialog').getByRole('button', { name: 'Import 2 readings' }).click();
    await expect.poll(() => createPointsRepo(s.ctx.db).get(billetId, 'P10').readings.map((r) => [r.replicateNo, r.carbonWtPct])).toEqual([[1, 0.401], [2, 0.405]]);
  });

  it('appends a file whose marks restart (P10-R2, P10-R1) after the stored burns, in mark order; the preview agrees with the import (task 25-G)', async () => {
    const { page } = s;
    const file = join(s.dataDir, 'tmp', 'second-session.csv');
    writeFileSync(file, 'Sample;C [%]\nP10-R2;0,409\nP10-R1;0,407\n');
    await page.getByRole('button', { name: 'Import CSV…' }).click();
    await page.getByTestId('csv-file').setInputFiles(file);
    // fails before: appending, "P10-R1" and "P10-R2" were refused as marks on stored replicates
    await page.getByRole('dialog').getByLabel('Points already measured').selectOption('append');
    await expect.poll(() => page.getByRole('dialog').getByRole('button', { name: 'Import 2 readings' }).isEnabled()).toBe(true);
    expect(await page.getByTestId('csv-errors').count()).toBe(0);
    await page.getByRole('dialog').getByRole('button', { name: 'Import 2 readings' }).click();
    await expect.poll(() => createPointsRepo(s.ctx.db).get(billetId, 'P10').readings.map((r) => [r.replicateNo, r.carbonWtPct])).toEqual([[1, 0.401], [2, 0.405], [3, 0.407], [4, 0.409]]);
  });

  it('readings and a point move made by another client (as the CLI does) show without a reload', async () => {
    const { page } = s;
    const other = localClient(s.ctx); // the same core, not this page: only the data-changed events reach it
    await row('P30').getByTestId('mean').waitFor();
    expect(await row('P30').getByTestId('mean').textContent()).not.toBe('0.777');
    await other['readings.set']({ billetId, label: 'P30', values: [0.777] });
    await expect.poll(() => row('P30').getByTestId('mean').textContent()).toBe('0.777');
    await other['readings.set']({ billetId, label: 'P31', values: [0.61, 0.63] });
    await expect.poll(() => row('P31').getByTestId('mean').textContent()).toMatch(/^0\.620 ± /);
    const marker = page.locator('[data-testid="point"][data-label="P30"]');
    expect(await marker.getAttribute('transform')).not.toBe('translate(10.5 -20.25)');
    await other['points.move']({ billetId, label: 'P30', xMm: 10.5, yMm: -20.25 });
    await expect.poll(() => marker.getAttribute('transform')).toBe('translate(10.5 -20.25)');
    await other['readings.clear']({ billetId, label: 'P30' });
    await expect.poll(() => row('P30').getByTestId('mean').textContent()).not.toBe('0.777');
  });

  it("a typed reading's 'billet' event re-reads neither points nor image; deleting the billet elsewhere raises no banner (task 24-I)", async () => {
    // every typed reading had sent points.list + images.forBillet: the readings service emits 'billet' on each change
    const { page } = s;
    await logApiCalls(page);
    const count = async (method: string) => (await apiCalls(page, method)).length;
    await row('P05').getByRole('textbox').click();
    await page.keyboard.type('0.481');
    await page.keyboard.press('Enter');
    await expect.poll(() => mean('P05')).toBe(0.481);
    // the view reads the billet once for the event and finds the diameter it shows (fails before: no billets.get at all)
    await expect.poll(async () => (await apiCalls(page, 'billets.get')).filter((c) => c.read).length).toBe(1);
    expect([await count('points.list'), await count('images.forBillet')]).toEqual([0, 0]);
    // deleted from elsewhere: the view leaves it, and its not-found read is no error to show
    await localClient(s.ctx)['billets.delete']({ id: billetId, confirmName: s.ctx.repos.billets.get(billetId).name });
    await expect.poll(() => page.getByTestId('point').count()).toBe(0);
    await expect.poll(async () => (await apiCalls(page, 'billets.get')).every((c) => c.read)).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

