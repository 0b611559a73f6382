import { describe, expect, it } from 'vitest';
import { appPerFile } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';
import { plantLikeJominyCsv } from '../helpers/plant-jominy-csv.js';

/** The Jominy dataset page on plant-like data: import declarations, coverage of distances × elements, a grade's statistics. */
describe('Jominy dataset page end to end', () => {
  const s = appPerFile();

  it('imports a plant-like CSV with the sixteenths declared in the dialog, and shows its coverage and a grade', async () => {
    const { page } = s;
    await page.getByRole('navigation').getByRole('button', { name: 'Jominy design' }).click();
    await page.getByRole('tab', { name: 'Data' }).click();
    // the file without its "# distance-unit" line: the unit comes from the page's choice
    const text = plantLikeJominyCsv({ n: 60, seed: 4 }).text.replace('# distance-unit: sixteenths\n', '');
    await page.getByLabel('Distance unit of the CSV').selectOption('sixteenths');
    await page.getByLabel('Import a Jominy CSV').setInputFiles({ name: 'plant.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    // the preview says how the file will be read before anything is stored
    await expect.poll(() => page.getByTestId('jominy-csv-heats').textContent()).toContain('60 heats');
    expect((await localClient(s.ctx)['jominy.datasets.list']({})).some((d) => d.name === 'plant')).toBe(false);
    await page.getByTestId('jominy-csv-import').click();
    await page.getByTestId('dataset-table').getByRole('button', { name: 'plant' }).waitFor();
    const ds = (await localClient(s.ctx)['jominy.datasets.list']({})).find((d) => d.name === 'plant')!;
    expect(ds.layout.unit).toBe('sixteenths');
    const coverage = page.getByTestId('coverage-table');
    await coverage.getByRole('cell', { name: 'J28 (44.45 mm)' }).waitFor();
    // V is not in the file: its column says absent, not 0
    const j1 = coverage.getByRole('row').filter({ hasText: 'J1 (1.59 mm)' });
    await expect.poll(async () => (await j1.getByRole('cell').allTextContents()).slice(-1)[0]).toBe('—');
    expect((await j1.getByRole('cell').allTextContents()).slice(1, 3)).toEqual(['60', '60']);
    const grade = (await localClient(s.ctx)['jominy.datasets.grades']({ id: ds.id }))[0];
    await page.getByTestId('grade-coverage').getByRole('button', { name: grade.grade }).click();
    await page.getByTestId('grade-stats').waitFor();
    await page.getByText(`${grade.grade}: ${grade.n} heats`).waitFor();
    await expect.poll(async () => (await page.getByTestId('heats-preview').getByRole('row').count()) - 1).toBe(grade.n);
  });

  it('refuses an undeclared ⅛-inch sheet (J2, J4 … J32) in the service\'s words, stores nothing, and reads it once declared', async () => {
    // the CLI and this page share the importer: the sheet had been stored as 2, 4 … 32 mm (its J32 is 50.8 mm)
    const { page } = s;
    const even = [2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32];
    const heat = (id: string, c: number) => `${id},42CrMo4,${c},0.80,0.25,1.00,0.20,${even.map((_, k) => 56 - 2 * k).join(',')}`;
    const text = [`heat_id,grade,C,Mn,Si,Cr,Mo,${even.map((n) => `J${n}`).join(',')}`, heat('H1', 0.4), heat('H2', 0.41), ''].join('\n');
    const before = (await localClient(s.ctx)['jominy.datasets.list']({})).length;
    await page.getByLabel('Distance unit of the CSV').selectOption('');
    await page.getByLabel('Import a Jominy CSV').setInputFiles({ name: 'eighth-inch.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await expect.poll(() => page.getByTestId('jominy-csv-errors').textContent()).toContain('the distance columns J2, J4, J6, J8, J10, J12, J14, J16, J20, J24, J28, J32 are ambiguous: whole numbers could be sixteenths of an inch (ASTM A255: J1 = 1.59 mm, J2 = 3.18 mm …; J32 would be 50.8 mm)');
    expect(await page.getByTestId('jominy-csv-import').isDisabled()).toBe(true);
    expect((await localClient(s.ctx)['jominy.datasets.list']({})).length).toBe(before);
    // declared in the dialog, the same file is read in sixteenths
    await page.getByLabel('Distance unit of the CSV').selectOption('sixteenths');
    await expect.poll(() => page.getByTestId('jominy-csv-heats').textContent()).toContain('2 heats');
  });
});
