import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatten, readCatalogDir, type Catalogs } from '../../helpers/i18n-catalog-check.js';

/**
 * The glossary beside the catalogs (renderer/src/i18n/GLOSSARY.md) says the catalogs use "these words, and only
 * these": for the trade's key terms, every sentence whose English says the term says the glossary's Chinese and
 * Italian word for it — in the interface's catalogs, the core's sentences (core/api/i18n) and the PDF report's
 * (core/report/i18n). The Chinese "钢坯" for billet (the glossary's word is 铸坯) stood in 22 sentences.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const glossary = readFileSync(join(root, 'renderer', 'src', 'i18n', 'GLOSSARY.md'), 'utf8');

/** [the glossary row's English cell, how English catalogs write the term, the Chinese word, the Italian word's stem]. */
const TERMS: [string, RegExp, string, string][] = [
  ['billet (as-cast)', /\bbillets?\b/i, '铸坯', 'billett'],
  ['segregation', /\bsegregation\b/i, '偏析', 'segregazion'],
  ['hardenability', /\bhardenability\b/i, '淬透性', 'temprabilit'],
  ['sampling point', /\bsampling points?\b/i, '取样点', 'di campionamento'],
  ['martensite', /\bmartensite\b/i, '马氏体', 'martensit'],
  ['Jominy end-quench test', /\bend-quench\b/i, '端淬', 'jominy'],
  ['thin-plate spline', /\bthin-plate spline\b/i, '薄板样条', 'lastra sottile'],
];

const families: [string, Catalogs][] = [
  ['renderer', readCatalogDir(join(root, 'renderer', 'src', 'i18n'))],
  ['core phrases', readCatalogDir(join(root, 'core', 'api', 'i18n'))],
  ['report', readCatalogDir(join(root, 'core', 'report', 'i18n'))],
];

/** Every text of a language, by "namespace:key". */
function texts(c: Catalogs, lang: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [ns, cat] of Object.entries(c[lang])) for (const [k, v] of flatten(cat)) if (typeof v === 'string') out.set(`${ns}:${k}`, v);
  return out;
}

describe('the glossary is what the catalogs say', () => {
  it('has a row for each checked term, with the Chinese and Italian words the check expects', () => {
    for (const [english, , zh, itStem] of TERMS) {
      const row = glossary.split('\n').find((l) => l.startsWith(`| ${english} |`));
      expect(row, `GLOSSARY.md row "${english}"`).toBeDefined();
      const [, zhCell, itCell] = row!.split('|').slice(1).map((c) => c.trim());
      expect(zhCell).toContain(zh);
      expect(itCell.toLowerCase()).toContain(itStem);
    }
  });

  for (const [family, catalogs] of families) {
    it(`${family}: a sentence that says a glossary term in English says the glossary's word in Chinese and Italian`, () => {
      const en = texts(catalogs, 'en');
      const zh = texts(catalogs, 'zh');
      const itx = texts(catalogs, 'it');
      const wrong: string[] = [];
      let checked = 0;
      for (const [key, text] of en) {
        const words = text.replace(/\{\{[^}]*\}\}/g, '').replace(/`[^`]*`/g, ''); // variables and commands are not words
        for (const [english, re, zhWord, itStem] of TERMS) {
          if (!re.test(words)) continue;
          checked++;
          if (!(zh.get(key) ?? '').includes(zhWord)) wrong.push(`${key} (zh, ${english} → ${zhWord}): ${zh.get(key)}`);
          if (!(itx.get(key) ?? '').toLowerCase().includes(itStem)) wrong.push(`${key} (it, ${english} → ${itStem}…): ${itx.get(key)}`);
        }
      }
      expect(checked).toBeGreaterThan(5);
      expect(wrong).toEqual([]);
    });
  }
});
