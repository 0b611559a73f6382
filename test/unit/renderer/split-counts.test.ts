import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitCountsText } from '../../../renderer/src/components/jominy/split-counts.js';
import { splitCounts } from '../../../core/cli/commands/jominy.js';

/**
 * The predictor page's split sizes carry their unit (heats, or rows for a predictor trained before heats were
 * counted), the same words as `jominy models show`: "Split 40/9/9" alone did not say what was counted.
 */
const catalog = (lang: string) => JSON.parse(readFileSync(new URL(`../../../renderer/src/i18n/${lang}/jominy-predictor.json`, import.meta.url), 'utf8')) as Record<string, string>;
const worded = (lang: string, d: Parameters<typeof splitCountsText>[0]) => {
  const { key, vars } = splitCountsText(d);
  const text = catalog(lang)[key.replace(/^jominy-predictor:/, '')];
  return text.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v]));
};

describe('the predictor page says what its split counts', () => {
  const rows = { train: 46, validation: 10, test: 11 };
  it('heats, with the rows beside where a heat has several rows, as the CLI writes them', () => {
    const d = { split: rows, splitHeats: { train: 40, validation: 9, test: 9 } };
    expect(worded('en', d)).toBe('40 train / 9 validation / 9 test heats (46 / 10 / 11 rows)');
    expect(worded('en', d)).toBe(splitCounts(d));
    expect(worded('it', d)).toBe('40 colate di addestramento / 9 di validazione / 9 di test (46 / 10 / 11 righe)');
    expect(worded('zh', d)).toBe('训练 40 / 验证 9 / 测试 9 炉次（46 / 10 / 11 行）');
  });
  it('heats alone where every heat is one row; rows, labelled so, for an older predictor', () => {
    const one = { split: rows, splitHeats: { ...rows } };
    expect(worded('en', one)).toBe('46 train / 10 validation / 11 test heats');
    expect(worded('en', one)).toBe(splitCounts(one));
    const old = { split: rows, splitHeats: null };
    expect(worded('en', old)).toBe('46 train / 10 validation / 11 test rows');
    expect(worded('en', old)).toBe(splitCounts(old));
    expect(worded('zh', old)).toBe('训练 46 / 验证 10 / 测试 11 行');
  });
});
