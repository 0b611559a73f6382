import { describe, expect, it } from 'vitest';
import { appPerFile, type E2eSession } from '../helpers/browser.js';
import { localClient } from '../../core/app/dispatch.js';

/**
 * A refused Jominy CSV in the interface's language (issue 15): the preview words each problem from its code in
 * Italian or Chinese, the cell's value quoted exactly as the file wrote it ("0,4x", not 0.4 or "0.4x"), and
 * nothing is stored.
 */
const CSV = 'heat_id;C;Mn;J1.5;J3\nH1;0,4x;0,8;55;50\nH2;0,41;0,8;55;50\n';
const nav = (s: E2eSession, name: string) => s.page.getByRole('navigation').getByRole('button', { name, exact: true });

describe('a refused Jominy CSV line in Italian and in Chinese', () => {
  const s = appPerFile({ locale: 'it-IT' });

  async function upload(tab: string, label: string) {
    await s.page.getByRole('tab', { name: tab, exact: true }).click();
    await s.page.getByLabel(label).setInputFiles({ name: 'colata.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    return s.page.getByTestId('jominy-csv-errors');
  }

  it('shows the line, the column and the Italian sentence with the value as written; then the Chinese one', async () => {
    await nav(s, 'Progetto Jominy').click();
    const errorsIt = await upload('Dati', 'Importa un CSV Jominy');
    await expect.poll(() => errorsIt.getByRole('row').nth(1).textContent()).toBe('2CC: il valore «0,4x» non è un numero decimale semplice');
    expect(await errorsIt.textContent()).not.toContain('is not a plain decimal number');
    expect(await localClient(s.ctx)['jominy.datasets.list']({})).toEqual([]);

    await nav(s, 'Impostazioni / Info').click();
    await s.page.getByTestId('ui-language').selectOption('zh');
    await nav(s, '端淬设计').click();
    const errorsZh = await upload('数据', '导入端淬 CSV');
    await expect.poll(() => errorsZh.getByRole('row').nth(1).textContent()).toBe('2CC 数值“0,4x”不是普通的十进制数');
    expect(await localClient(s.ctx)['jominy.datasets.list']({})).toEqual([]);
  });
});
