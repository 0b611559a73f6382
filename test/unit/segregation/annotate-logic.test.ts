import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../../renderer/src/components/annotate/entry.js';
import { EditHistory, nextLabel, type PointSnap } from '../../../renderer/src/components/annotate/history.js';
import { carbonRange, viridis } from '../../../renderer/src/components/annotate/colour.js';

// The reading cell returns a refusal as a key and variables; here it is worded through a catalog itself.
const catalog = (lang: string, ns: string) =>
  JSON.parse(readFileSync(new URL(`../../../renderer/src/i18n/${lang}/${ns}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const wordIn = (lang: string) => (key: string, vars?: Record<string, unknown>) => {
  const [ns, path] = key.split(':');
  const text = path!.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], catalog(lang, ns!)) as string;
  return text.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(vars?.[k]));
};
const en = wordIn('en');
const entry = (text: string, lang: 'en' | 'it' = 'en') => {
  const r = parseEntry(text, lang);
  return 'error' in r ? { error: en(r.error.key, r.error.vars) } : r;
};

describe('reading entry (what the metallurgist types)', () => {
  it('accepts one value, replicates, the language\'s decimal mark and ppm', () => {
    expect(entry('0.452')).toEqual({ values: [0.452] });
    expect(entry(' 0,433  0,437 ', 'it')).toEqual({ values: [0.433, 0.437] });
    expect(entry('0.41/0.42;0.43')).toEqual({ values: [0.41, 0.42, 0.43] });
    expect(entry('4520 ppm')).toEqual({ values: [0.452] });
    expect(entry('0.45 %')).toEqual({ values: [0.45] });
  });
  it('refuses what cannot be a steel carbon reading, saying why', () => {
    expect(entry('')).toEqual({ error: 'type a carbon value in wt.%' });
    expect(entry('abc')).toEqual({ error: '"abc" is not a plain decimal number' });
    // the same strict reader as the CSV import: no "0.", ".5", hex, underflow; the language's mark only
    expect(entry('0.')).toEqual({ error: '"0." is not a plain decimal number' });
    expect(entry('.5')).toEqual({ error: '".5" is not a plain decimal number' });
    expect(entry('0x1')).toEqual({ error: '"0x1" is not a plain decimal number' });
    expect(entry('1e-400')).toEqual({ error: '"1e-400" is too small to represent (it would read as 0)' });
    expect(entry('0,45 0.47', 'it')).toEqual({ error: '"0.47" uses "." as the decimal mark; in this language the decimal mark is ",": write 0,47' });
    expect(entry('0,45', 'en')).toEqual({ error: '"0,45" uses "," as the decimal mark; in this language the decimal mark is ".": write 0.45' });
    expect(entry('0.4523456')).toEqual({ values: [0.4523456] }); // stored as typed, not rounded to 1e-6
    expect(entry('-0.1')).toEqual({ error: '-0.1 is negative' });
    expect(entry('4500')).toEqual({ error: '4500 wt.% is above 2.5 wt.% — ppm? type "4500 ppm"' });
    expect(entry('30000 ppm')).toEqual({ error: '30000 ppm is above 2.5 wt.%' });
    expect(entry(Array(21).fill('0.4').join(' '))).toEqual({ error: 'at most 20 replicates' });
  });
});

describe('reading entry refusals: catalog keys and variables, numbers in the language', () => {
  it('returns a key and variables, never English text', () => {
    expect(parseEntry('', 'it')).toEqual({ error: { key: 'annotate:entry.empty', vars: {} } });
    expect(parseEntry('-0,1', 'it')).toEqual({ error: { key: 'annotate:entry.negative', vars: { value: '-0,1' } } });
    expect(parseEntry('4500', 'it')).toEqual({ error: { key: 'annotate:entry.aboveWt', vars: { value: '4500', max: '2,5' } } });
    expect(parseEntry('30000 ppm', 'it')).toEqual({ error: { key: 'annotate:entry.abovePpm', vars: { value: '30000', max: '2,5' } } });
    expect(parseEntry('4500', 'en')).toEqual({ error: { key: 'annotate:entry.aboveWt', vars: { value: '4500', max: '2.5' } } });
    expect(parseEntry(Array(21).fill('0,4').join(' '), 'it')).toEqual({ error: { key: 'annotate:entry.tooMany', vars: { max: '20' } } });
    expect(parseEntry('0.45', 'it')).toMatchObject({ error: { key: 'numbers:wrongMark' } });
  });
  it('reads in Italian with a decimal comma', () => {
    const it_ = wordIn('it');
    const r = parseEntry('4500', 'it');
    if (!('error' in r)) throw new Error('expected a refusal');
    expect(it_(r.error.key, r.error.vars)).toBe('4500 wt.% supera 2,5 wt.% — ppm? scrivi "4500 ppm"');
  });
});

describe('point edit history', () => {
  const snap = (n: number): PointSnap[] => [{ label: 'P01', xMm: n, yMm: 0, values: [] }];
  it('undoes and redoes whole sets; a new edit drops the redo branch', () => {
    const h = new EditHistory();
    h.push(snap(0)); // edit 0 → 1
    h.push(snap(1)); // edit 1 → 2
    expect(h.undo(snap(2))).toEqual(snap(1));
    expect(h.undo(snap(1))).toEqual(snap(0));
    expect(h.undo(snap(0))).toBeNull();
    expect(h.redo(snap(0))).toEqual(snap(1));
    h.push(snap(1)); // edit 1 → 5
    expect(h.canRedo).toBe(false);
    expect(h.undo(snap(5))).toEqual(snap(1));
  });
  it('is bounded', () => {
    const h = new EditHistory(3);
    for (let i = 0; i < 5; i++) h.push(snap(i));
    const got: number[] = [];
    let cur = snap(5), prev;
    while ((prev = h.undo(cur))) { got.push(prev[0].xMm); cur = prev; }
    expect(got).toEqual([4, 3, 2]);
  });
  it('next label continues the numbering', () => {
    expect(nextLabel(['P01', 'P85', 'X1'])).toBe('P86');
    expect(nextLabel(['P099'])).toBe('P100');
    expect(nextLabel([])).toBe('P01');
  });
});

describe('carbon colours', () => {
  it('maps the range ends to the viridis ends and widens a flat range', () => {
    // The ends of matplotlib's viridis, rgb(68, 1, 84) and rgb(253, 231, 37), as d3-scale-chromatic writes them.
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(0.5)).toBe('#21918c');
    expect(viridis(Number.NaN)).toBe('#440154');
    expect(carbonRange([0.4, null, 0.5])).toEqual({ min: 0.4, max: 0.5 });
    const flat = carbonRange([0.45])!;
    expect(flat.max - flat.min).toBeCloseTo(0.01, 12);
    expect(carbonRange([null])).toBeNull();
  });
});
