import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Calibration } from '../../../core/jominy/calibration.js';

/**
 * Values the core stores in English and the interface shows mid-sentence: the renderer words each value it knows
 * in the interface's language (its own catalog) and shows any other as stored.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const read = (rel: string) => readFileSync(join(root, rel), 'utf8');
const catalog = (lang: string, ns: string) => JSON.parse(read(`renderer/src/i18n/${lang}/${ns}.json`)) as Record<string, unknown>;

describe('a Jominy calibration method in the predictor page', () => {
  it('the one method the core writes is worded per language (it was shown in English inside the Italian and Chinese sentence)', () => {
    const method: Calibration['method'] = 'split-conformal, normalised residuals, 2-fold cross-fit on the test heats';
    const card = read('renderer/src/components/jominy/UncertaintyCard.svelte');
    expect(card).toContain(`m === '${method}' ? t('jominy-predictor:unc.method.crossFit2') : m`);
    expect(card).not.toContain('method: u.method');
    const words = (lang: string) => ((catalog(lang, 'jominy-predictor').unc as Record<string, Record<string, string>>).method.crossFit2);
    expect(words('en')).toBe(method);
    expect(words('it')).toBe('split-conformal, residui normalizzati, cross-fit a 2 parti sulle colate di test');
    expect(words('zh')).toBe('分割共形，归一化残差，在测试炉次上做二折交叉拟合');
  });
});
