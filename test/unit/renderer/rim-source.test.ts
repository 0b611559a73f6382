import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RIM_SOURCE_KEY, rimSourceKey, rimWords } from '../../../renderer/src/components/annotate/rim-source.js';

const catalog = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../../../renderer/src/i18n/${lang}/annotate.json`, import.meta.url), 'utf8')) as { rim: Record<string, unknown> };
const wordIn = (lang: string) => (key: string) =>
  key.replace(/^annotate:/, '').split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], catalog(lang)) as string;

describe('rim source words (Annotate: "Rim: …", never the stored code)', () => {
  it('has a key for every stored source, worded in each language', () => {
    expect(Object.keys(RIM_SOURCE_KEY).sort()).toEqual(['auto', 'manual', 'synthetic', 'three-point']);
    for (const lang of ['en', 'it', 'zh']) {
      for (const source of Object.keys(RIM_SOURCE_KEY)) {
        const words = rimWords(source, wordIn(lang));
        expect(words).toBeTruthy();
        expect(words).not.toBe(source);
      }
    }
    expect(rimWords('three-point', wordIn('it'))).toBe('da 3 punti cliccati');
  });
  it('says "not set" for none, and an unknown code as it is', () => {
    expect(rimWords(null, wordIn('it'))).toBe('non impostato');
    expect(rimSourceKey('laser')).toBeNull();
    expect(rimWords('laser', wordIn('en'))).toBe('laser');
  });
});
