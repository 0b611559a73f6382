import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QUALITY_FLAG_KEY, qualityFlagWords } from '../../../renderer/src/lib/quality-flags.js';

const viewer = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../../../renderer/src/i18n/${lang}/viewer.json`, import.meta.url), 'utf8')) as { quality: Record<string, string> };
const wordIn = (lang: string) => (key: string) => viewer(lang).quality[key.replace(/^viewer:quality\./, '')]!;

describe('image-quality flags in words (patch preview, Train predictions)', () => {
  it('words every flag the core sets, in each language, never as the code', () => {
    const core = readFileSync(new URL('../../../core/imaging/quality.ts', import.meta.url), 'utf8');
    const flags = /export type QualityFlag = ([^;]+);/.exec(core)![1]!.match(/'[^']+'/g)!.map((q) => q.slice(1, -1));
    expect(Object.keys(QUALITY_FLAG_KEY).sort()).toEqual([...flags].sort());
    for (const lang of ['en', 'it', 'zh']) for (const f of flags) expect(qualityFlagWords([f], wordIn(lang))).not.toContain(f);
    expect(qualityFlagWords(['low-rms-contrast', 'low-entropy'], wordIn('it'))).toBe('basso contrasto RMS: i livelli di grigio variano appena; bassa entropia: un\'immagine quasi uniforme o satura');
  });
  it('shows a flag it does not know as its code', () => {
    expect(qualityFlagWords(['low-focus'], wordIn('en'))).toBe('low-focus');
  });
});
