import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { coverageSuffixText } from '../../../renderer/src/components/jominy/coverage-text.js';
import { coverageNote, type CoverageWhy } from '../../../core/jominy/coverage-why.js';
import { rendererSay, sayLang, type SayLanguage } from '../../helpers/renderer-say.js';

/**
 * The predictor list (the Predictor tab's predictor select) says each predictor's 90 % coverage or why there is
 * none, in each language: a predictor stored before the cross-fit calibration read as a measured 100.0 % (the
 * one-heat half's false 1.00), like any other. Fails before: the list showed no coverage, and had no reason to show.
 * The reason's words are the core's (`say`, stood in for by test/helpers/renderer-say.ts).
 */
vi.mock('../../../renderer/src/lib/i18n.svelte', async () => (await import('../../helpers/renderer-say.js')).i18nStandIn());
const say = await rendererSay();

const catalog = (lang: string) => JSON.parse(readFileSync(new URL(`../../../renderer/src/i18n/${lang}/jominy-predictor.json`, import.meta.url), 'utf8')) as Record<string, string | Record<string, string>>;
const entry = (lang: string, key: string) => key.replace(/^jominy-predictor:/, '').split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], catalog(lang)) as string;
const fill = (text: string, vars: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, v: string) => vars[v]);
/**
 * The list's suffix as the option shows it (PredictorPanel.svelte: coverage with one decimal, or the reason's short
 * head — a closed select cuts a long option), and the full reason as the line under the select says it.
 */
const worded = (lang: SayLanguage, m: { coverage90: number | null; coverage90Why: CoverageWhy }) => {
  sayLang.current = lang;
  const c = coverageSuffixText({ ...m, coverage90Note: coverageNote(m.coverage90Why) });
  return fill(entry(lang, c.key), { coverage: c.percent === null ? '' : c.percent.toFixed(1), short: c.short === null ? '' : entry(lang, c.short) });
};
const whyLine = (lang: SayLanguage, m: { coverage90: number | null; coverage90Why: CoverageWhy }) => {
  sayLang.current = lang;
  const c = coverageSuffixText({ ...m, coverage90Note: coverageNote(m.coverage90Why) });
  return c.whyKey === null ? null : fill(entry(lang, c.whyKey), { id: '7', why: say(c.why) });
};

describe('the predictor list says what its coverage is', () => {
  it('a measured coverage as a percentage; a predictor stored before the cross-fit calibration says it is not re-measured, and why under the select', () => {
    expect(worded('en', { coverage90: 0.893, coverage90Why: 'measured' })).toBe(', 90 % coverage 89.3 %');
    expect(whyLine('en', { coverage90: 0.893, coverage90Why: 'measured' })).toBeNull();
    const old = { coverage90: null, coverage90Why: 'stored-before-cross-fit' as const };
    expect(worded('en', old)).toBe(', 90 % coverage not re-measured');
    expect(whyLine('en', old)).toBe('90 % coverage of #7: not re-measured: stored before the cross-fit calibration (2026-11-30); retrain to measure');
    expect(worded('it', old)).toBe(', copertura 90 % non rimisurata');
    expect(whyLine('it', old)).toBe('copertura 90 % di #7: non rimisurata: salvata prima della calibrazione ad adattamento incrociato (2026-11-30); riaddestrare per misurarla');
    expect(worded('zh', old)).toBe('，90 % 覆盖率未重新测定');
    expect(whyLine('zh', old)).toBe('#7 的 90 % 覆盖率：未重新测定：保存于交叉拟合校准（2026-11-30）之前；重新训练即可测定');
  });
  it('each reason its own words, short in the option (the head of the core\'s words) and whole under the select', () => {
    const reasons: CoverageWhy[] = ['no-ensemble', 'half-too-small', 'stored-before-cross-fit'];
    for (const lang of ['en', 'zh', 'it'] as const) {
      const short = reasons.map((why) => worded(lang, { coverage90: null, coverage90Why: why }));
      const whole = reasons.map((why) => whyLine(lang, { coverage90: null, coverage90Why: why })!);
      expect(new Set(short).size).toBe(3);
      expect(new Set(whole).size).toBe(3);
      // the option's words stay short (a closed select cut the reason at its right edge: up to 125 characters)
      for (const t of short) expect(t.length).toBeLessThanOrEqual(32);
    }
    expect(worded('en', { coverage90: null, coverage90Why: 'half-too-small' })).toBe(', 90 % coverage not measured');
    expect(whyLine('en', { coverage90: null, coverage90Why: 'half-too-small' })).toBe('90 % coverage of #7: not measured: too few held-out heats to cross-fit (a half could not calibrate)');
    expect(worded('en', { coverage90: null, coverage90Why: 'no-ensemble' })).toBe(', 90 % coverage none');
    expect(whyLine('en', { coverage90: null, coverage90Why: 'no-ensemble' })).toBe('90 % coverage of #7: none: the predictor has no ensemble (trained with ensemble 0 or before ensembles), so no interval');
  });
});
