import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogProblems, definedKeys, flatten, readCatalogDir, variables } from '../../helpers/i18n-catalog-check.js';
import { PHRASE_CODES, PhraseSchema, type Phrase } from '../../../core/api/phrase.js';
import { parseChemistryRanges, parseChemistryText, parseElementNumbers, rangeOrderIssue } from '../../../core/api/jominy-chemistry.js';
import { elementValueIssue } from '../../../core/jominy/elements.js';
import { skillReport } from '../../../core/jominy/baselines.js';
import { coveragePhrase, coverageWords } from '../../../core/ml/conformal.js';
import { patchScaleFor } from '../../../core/segregation/cnn/scale.js';
import { coverageRegion } from '../../../core/maps/coverage.js';
import { MEASURED_MAP_METHOD_PHRASE } from '../../../core/maps/measured-map.js';
import { fitCorrection } from '../../../core/segregation/fewer-points/correct.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { decideUnit, parseReadingsCsv } from '../../../core/segregation/readings-csv.js';
import { fitPhrase, fitWords, samplePhrase, sampleWords } from '../../../core/ml/fit-words.js';

/**
 * The sentences the core writes as codes (core/api/phrase.ts): every code has its words in English, Chinese and
 * Italian (core/api/i18n/<lang>/phrases.json, shared by the interface and the PDF report), the catalogs hold no
 * other, and what the core emits fills exactly the variables its words use.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const catalogs = readCatalogDir(join(root, 'core', 'api', 'i18n'));
const en = flatten(catalogs.en.phrases);
/** A code's English words; a plural code (key_one/key_other, chosen by its `count`) by its _other form, which has every variable. */
const wordsOf = (code: string) => String(en.get(code) ?? en.get(`${code}_other`));

describe('core phrase catalogs (core/api/i18n/<lang>/phrases.json)', () => {
  it('have English, Chinese and Italian with the same keys and variables, no empty text', () => {
    expect(Object.keys(catalogs).sort()).toEqual(['en', 'it', 'zh']);
    expect(catalogProblems({ en: catalogs.en, zh: catalogs.zh, it: catalogs.it })).toEqual([]);
  });

  it('hold a key for every code the core can emit, and no other', () => {
    for (const lang of ['en', 'zh', 'it']) {
      const keys = [...definedKeys(catalogs[lang])].map((k) => k.replace(/^phrases:/, '')).sort();
      expect(keys, lang).toEqual([...PHRASE_CODES].sort());
    }
  });
});

/** Phrases the core emits for inputs that trigger each kind of sentence. */
/** A readings CSV's carbon unit decided from every kind of header and median (core/segregation/readings-csv.ts). */
const unitDecisions = () => [
  decideUnit('C [ppm]', [4400, 4500]), decideUnit('C [%]', [0.44, 0.45]), decideUnit('C', []),
  decideUnit('C', [4.38, 4.4]), decideUnit('C', [4400, 4500]), decideUnit('C', [0.00452, 0.0046]), decideUnit('C', [0.44, 0.45]),
  decideUnit('C [%]', [4400, 4500]), decideUnit('C [ppm]', [0.44, 0.45]),
];

function emitted(): Phrase[] {
  const out: Phrase[] = [];
  const add = (p: Phrase | null | undefined) => {
    if (p) out.push(p);
  };
  const skill = (split: 'random' | 'by-grade', testGrade: string) =>
    skillReport({
      split,
      distancesMm: [1.5],
      train: [{ grade: 'A', hardness: [50] }, { grade: 'A', hardness: [52] }, { grade: 'B', hardness: [30] }],
      test: [{ grade: 'A', hardness: [51] }, { grade: testGrade, hardness: [40] }],
      model: [[45], [35]],
      a255: [null, null],
    });
  for (const r of [skill('random', 'A'), skill('random', 'C'), skill('by-grade', 'C')]) {
    add(r.warningPhrase);
    add(r.gradeMeanNotePhrase);
  }
  add(coveragePhrase(null));
  add(coveragePhrase({ alpha: 0.1, measuredCoverage: null, coverageN: 4 }));
  add(coveragePhrase({ alpha: 0.1, measuredCoverage: 0.875, coverageN: 85 }));
  add(coveragePhrase({ alpha: 0.1, measuredCoverage: 0.875, coverageN: 85, coveragePoints: 85 }));
  add(coveragePhrase({ alpha: 0.1, measuredCoverage: 0.92, coverageN: 51, coveragePoints: 41 }));
  add(patchScaleFor(null, 32, 0.1).warningPhrase);
  add(patchScaleFor({ patchMm: 13.6, trainedMmPerPx: 0.425, inputSize: 32 }, 32, 1.5).warningPhrase);
  add(patchScaleFor({ patchMm: 13.6, trainedMmPerPx: 0.425, inputSize: 32, detailMmPerPx: 0.3 }, 32, 0.4).warningPhrase);
  add(coverageRegion([{ xMm: 0, yMm: 0 }, { xMm: 10, yMm: 0 }, { xMm: 0, yMm: 10 }]).rulePhrase);
  add(coverageRegion([{ xMm: -10, yMm: 0 }, { xMm: 10, yMm: 0 }]).rulePhrase);
  add(MEASURED_MAP_METHOD_PHRASE);
  const pairs = (f: (p: number) => number) => [0.3, 0.35, 0.4, 0.45, 0.5, 0.55].map((p, i) => ({ predicted: p, reading: f(p) + (i % 2 ? 0.002 : -0.002) }));
  add(fitCorrection(pairs((p) => p + 0.01), { priorSd: 0.01, minSlopeK: 3 }).slopeTest?.reasonPhrase);
  add(fitCorrection(pairs((p) => 1.8 * p - 0.3), { priorSd: 0.01, minSlopeK: 3 }).slopeTest?.reasonPhrase);
  add(fitCorrection(pairs((p) => 5 * p - 1.7), { priorSd: 0.01, minSlopeK: 3 }).slopeTest?.reasonPhrase);
  for (const text of ['', 'C=0.4,,Mn=1', 'C0.4', 'Xx=1', 'c=1', 'C=1,C=0.5', 'C=0,4', 'C=5', 'B=50', 'C=-1']) {
    const r = parseChemistryText(text);
    if (!r.ok) out.push(...r.problems);
  }
  const ranges = parseChemistryRanges('Cr=2,Mn=1:0.5');
  if (!ranges.ok) out.push(...ranges.problems);
  const numbers = parseElementNumbers('Cr=x');
  if (!numbers.ok) out.push(...numbers.problems);
  add(elementValueIssue('C', Number.NaN));
  add(fitPhrase({ r2: 0.905, r2Determination: 0.871, meanBias: -0.0012 }));
  for (const l of [undefined, 'in-sample', 'held-out', 'out-of-sample'] as const) add(samplePhrase(l));
  // a readings CSV's refused lines: every problem of a line as a code, the value quoted as written
  const csv = 'label;carbon;replicate\nP01;0,4x;1\nQ9;0,41;1\n;;0\n';
  const known = (n: number) => Array.from({ length: n }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);
  for (const labels of [known(0), known(3), known(85)]) for (const e of parseReadingsCsv(csv, { knownLabels: labels, decimalMark: ',' }).errors) out.push(...(e.phrases ?? []));
  add(rangeOrderIssue('Mn', 1, 0.5));
  for (const u of unitDecisions()) {
    add(u.reasonPhrase);
    add(u.conflictPhrase);
  }
  return out;
}

/**
 * `phrase('code', { a, b: x })` calls written in core/: the code and, where the parameters are an object literal,
 * its top-level keys (null when they come from a variable: the emitted() inputs check those).
 */
function sourcePhrases(): { file: string; code: string; keys: string[] | null }[] {
  const out: { file: string; code: string; keys: string[] | null }[] = [];
  const files = readdirSync(join(root, 'core'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join(root, 'core', file), 'utf8');
    for (const m of text.matchAll(/\bphrase\('([\w.]+)'\s*(\)|,)/g)) {
      if (m[2] === ')') {
        out.push({ file, code: m[1], keys: [] });
        continue;
      }
      let i = m.index + m[0].length;
      while (/\s/.test(text[i])) i++;
      if (text[i] !== '{') {
        out.push({ file, code: m[1], keys: null });
        continue;
      }
      out.push({ file, code: m[1], keys: topLevelKeys(text, i) });
    }
  }
  return out;
}

/** The keys of the object literal that opens at text[start] ('{'): `a`, `b: …`, nested brackets and strings skipped. */
function topLevelKeys(text: string, start: number): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  let quote: string | null = null;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === quote) quote = null;
      if (depth === 1) cur += ' ';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      continue;
    }
    if (c === '{' || c === '(' || c === '[') {
      depth++;
      if (depth === 1) continue;
    } else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0) break;
    }
    if (depth === 1 && c === ',') {
      parts.push(cur);
      cur = '';
    } else if (depth === 1) cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean).map((p) => /^([\w$]+)/.exec(p)![1]).sort();
}

describe('what the core emits', () => {
  const phrases = emitted();

  it("a readings CSV's unit reason and conflict are phrases whose English words are the English sentences", () => {
    const en = reportPhraser('en');
    const decisions = unitDecisions();
    for (const u of decisions) {
      expect(en(u.reasonPhrase)).toBe(u.reason);
      expect(u.conflictPhrase ? en(u.conflictPhrase) : null).toBe(u.conflict);
    }
    expect(decisions[3].reasonPhrase).toEqual({ code: 'csvUnit.reason.unclear', params: { median: { value: 4.39 }, max: { value: 2.5 }, top: { value: 2500 } } });
    expect(decisions[7].conflictPhrase).toEqual({ code: 'csvUnit.conflict.headerWtPct', params: { column: 'C [%]', median: { value: 4450 } } });
    expect(reportPhraser('it')(decisions[7].conflictPhrase!)).toBe('la colonna «C [%]» indica wt.% ma il valore mediano 4450 è possibile solo in ppm');
    expect(reportPhraser('zh')(decisions[6].reasonPhrase)).toBe('中位数 0.445 不高于 2.5，因此按 wt.% 读取');
  });

  it('covers every code, each valid for the contract and filling exactly the variables of its words', () => {
    const codes = new Set(phrases.map((p) => p.code));
    // every code comes out of these inputs or is written literally in the core's source (errors, job messages and
    // fixed notes the services attach: checked by the next test)
    const written = new Set(sourcePhrases().map((w) => w.code));
    expect([...PHRASE_CODES].filter((c) => !codes.has(c) && !written.has(c)).sort()).toEqual([]);
    for (const p of phrases) {
      expect(PhraseSchema.safeParse(p).success, p.code).toBe(true);
      expect(Object.keys(p.params).sort(), p.code).toEqual(variables(wordsOf(p.code)));
    }
  });

  it('every phrase written in the source names a known code and fills exactly the variables of its words', () => {
    const written = sourcePhrases();
    expect(written.length).toBeGreaterThan(10);
    for (const w of written) {
      expect(PHRASE_CODES as readonly string[], `${w.file}: ${w.code}`).toContain(w.code);
      if (w.keys) expect(w.keys, `${w.file}: ${w.code}`).toEqual(variables(wordsOf(w.code)));
    }
  });

  it('a readings CSV line is refused with its value exactly as written, in the frame of each language', () => {
    const r = parseReadingsCsv('label;carbon\nP01;0,4x\n', { knownLabels: ['P01'], decimalMark: ',' });
    expect(r.errors).toHaveLength(1);
    const [p] = r.errors[0].phrases!;
    expect(p).toMatchObject({ code: 'csv.cell', params: { column: 'carbon', value: '0,4x' } });
    expect(reportPhraser('en')(p)).toBe(r.errors[0].message);
    expect(reportPhraser('it')(p)).toMatch(/^colonna «carbon»: il valore «0,4x» non è valido \(/);
    expect(reportPhraser('zh')(p)).toMatch(/^列“carbon”：数值“0,4x”无效（/);
  });

  it('the Chinese and Italian report words carry the numbers the English sentence says', () => {
    const p = coveragePhrase({ alpha: 0.1, measuredCoverage: 0.875, coverageN: 85, coveragePoints: 85 });
    expect(reportPhraser('en')(p)).toBe(coverageWords({ alpha: 0.1, measuredCoverage: 0.875, coverageN: 85, coveragePoints: 85 }));
    expect(reportPhraser('zh')(p)).toBe('90 % 区间，在 85 个留出点上实测覆盖率 0.88');
    expect(reportPhraser('it')(p)).toBe('intervallo al 90 %, copertura misurata 0.88 su 85 punti di verifica');
    // overlapping random splits: residuals and the distinct points they are of
    const rep = coveragePhrase({ alpha: 0.1, measuredCoverage: 0.92, coverageN: 51, coveragePoints: 41 });
    expect(reportPhraser('zh')(rep)).toMatch(/^90 % 区间，在 41 个点的 51 个留出残差（.*）上实测覆盖率 0\.92$/);
    expect(reportPhraser('it')(rep)).toMatch(/^intervallo al 90 %, copertura misurata 0\.92 su 51 residui di verifica di 41 punti \(/);
    // a result stored before codes keeps its English words
    expect(reportPhraser('zh')(undefined, 'old words')).toBe('old words');
  });

  it('the English words of each emitted phrase are the sentence the CLI prints', () => {
    const noSkill = skillReport({
      split: 'random',
      distancesMm: [1.5],
      train: [{ grade: 'A', hardness: [50] }, { grade: 'A', hardness: [52] }],
      test: [{ grade: 'A', hardness: [50.5] }],
      model: [[45]],
      a255: [null],
    });
    expect(reportPhraser('en')(noSkill.warningPhrase)).toBe(noSkill.warning);
    expect(reportPhraser('en')(noSkill.gradeMeanNotePhrase)).toBe(noSkill.gradeMeanNote);
    const chem = parseChemistryText('C=5,Xx=1,B=50');
    expect(chem.ok).toBe(false);
    if (!chem.ok) expect(chem.problems.map((p) => reportPhraser('en')({ code: p.code, params: p.params }))).toEqual(chem.errors);
    for (const m of [{ r2: 0.905, r2Determination: 0.871, meanBias: 0.0012 }, { r2: null, meanBias: null }]) expect(reportPhraser('en')(fitPhrase(m))).toBe(fitWords(m));
    for (const l of [undefined, 'in-sample', 'held-out', 'out-of-sample'] as const) expect(reportPhraser('en')(samplePhrase(l))).toBe(sampleWords(l));
    expect(reportPhraser('zh')(fitPhrase({ r2: 0.905, r2Determination: 0.871, meanBias: 0.0012 }))).toBe('R²（式 2，相关系数平方）0.905，R²（决定系数）0.871，平均偏差（预测 − 实测）+0.0012 wt.%');
    const scale = patchScaleFor({ patchMm: 13.6, trainedMmPerPx: 0.425, inputSize: 32 }, 32, 1.5);
    expect(reportPhraser('en')(scale.warningPhrase)).toBe(scale.warning);
    expect(reportPhraser('zh')(scale.warningPhrase)).toContain('被放大');
  });
});
