import { describe, expect, it } from 'vitest';
import { plainIssues, refusedIssues } from '../../helpers/csv-issues.js';
import { parseJominyCsv, writeJominyCsv } from '../../../core/jominy/csv.js';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { heatKeys } from '../../../core/jominy/heat-split.js';
import { ELEMENTS, DISTANCES_MM } from '../../../core/jominy/elements.js';

const header = ['heat_id', 'grade', ...ELEMENTS, ...DISTANCES_MM.map((d) => `J${d}`)].join(',');
const goodRow = (id: string, h = [58, 57, 52, 45, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 21]) =>
  [id, '42CrMo4', 0.42, 0.8, 0.25, 0.012, 0.02, 0.15, 1.05, 0.1, 0.2, 0.0002, 0.002, 0.001, 0.01, 0.025, 0.005, ...h].join(',');

const issues = (text: string) => plainIssues(refusedIssues(text));

describe('Jominy CSV', () => {
  it('round-trips a synthetic dataset with its comment lines', () => {
    const samples = generateSynthetic({ n: 40, seed: 9 });
    const text = writeJominyCsv(samples, { synthetic: 'yes, seed 9' });
    const parsed = parseJominyCsv(text);
    expect(parsed.meta.synthetic).toBe('yes, seed 9');
    expect(parsed.samples).toHaveLength(40);
    expect(parsed.samples[7].chemistry).toEqual(samples[7].chemistry);
    expect(parsed.samples[7].hardness).toEqual(samples[7].hardness);
    expect(parsed.samples[0].lineNo).toBe(4);
    expect(parsed.meta['distance-unit']).toBe('mm');
  });

  it('writes its distance unit, so a layout at 1, 2, 3 … mm re-imports as the mm it is', () => {
    // Whole distances one apart could be sixteenths or mm, and an undeclared file so numbered is refused as ambiguous:
    // without the unit line the workstation refused its own export of such a plant layout.
    const layout = { distancesMm: [1, 2, 3, 5, 7], labels: ['J1', 'J2', 'J3', 'J5', 'J7'], unit: 'mm' as const, elements: ['C' as const, 'Mn' as const] };
    const heats = [0, 1, 2].map((k) => ({ heatId: `H${k}`, grade: '42CrMo4', grainSize: null, chemistry: { C: 0.40 + k / 100, Mn: 0.8 }, hardness: [56, 55, 53, 50 - k, 46 - k] }));
    const text = writeJominyCsv(heats, { seed: '3' }, layout);
    expect(text.split('\n').slice(0, 3)).toEqual(['# seed: 3', '# distance-unit: mm', 'heat_id,grade,grain_size,C,Mn,J1,J2,J3,J5,J7']);
    const again = parseJominyCsv(text);
    expect(again.layout).toMatchObject({ unit: 'mm', distancesMm: [1, 2, 3, 5, 7], labels: ['J1', 'J2', 'J3', 'J5', 'J7'] });
    expect(again.samples.map((x) => x.hardness)).toEqual(heats.map((x) => x.hardness));
    // in sixteenths the unit line was already written; it still is, and the distances come back as n × 1.5875 mm
    const six = parseJominyCsv(writeJominyCsv(heats, {}, { ...layout, unit: 'sixteenths', distancesMm: [1.5875, 3.175, 4.7625, 7.9375, 11.1125] }));
    expect(six.layout).toMatchObject({ unit: 'sixteenths', distancesMm: [1.5875, 3.175, 4.7625, 7.9375, 11.1125] });
  });

  it('accepts unit suffixes, ; delimiters and decimal commas (in every cell: one file, one mark)', () => {
    const h = header.replace(',C,', ',C (wt.%),').replace(/,/g, ';');
    const row = goodRow('H1').replace(/,/g, ';').replace(/(\d)\.(\d)/g, '$1,$2');
    const p = parseJominyCsv(`${h}\n${row}\n`);
    expect(p.samples[0].chemistry.C).toBe(0.42);
    // one decimal comma among points used to be read; now the file's mark is the points' and the comma is refused
    const mixed = goodRow('H1').replace(/,/g, ';').replace('0.42', '0,42');
    expect(issues(`${h}\n${mixed}\n`)).toEqual([{ line: 2, column: 'C (wt.%)', message: 'C value "0,42" uses the decimal mark "," where "." is expected (this file uses decimal points; one file, one mark)' }]);
  });

  it('ignores a column with no header and no value (trailing ";;" of a spreadsheet), and says so; refuses one with a value by line and column', () => {
    // Every line ending in ";;" was refused as `unknown column ""`: the file had to be cleaned by hand.
    const h = header.replace(/,/g, ';');
    const row = (id: string) => (id === 'H2' ? goodRow(id, [57, 56, 51, 44, 37, 33, 31, 29, 27, 25, 24, 23, 22, 21, 20]) : goodRow(id)).replace(/,/g, ';');
    const p = parseJominyCsv(`${h};;\n${row('H1')};;\n${row('H2')};;\n`);
    expect(p.samples.map((x) => [x.heatId, x.chemistry.C, x.hardness[0], x.hardness[14]])).toEqual([['H1', 0.42, 58, 21], ['H2', 0.42, 57, 20]]);
    expect(p.columns.map((c) => c.header)).toEqual(h.split(';'));
    const width = h.split(';').length;
    expect(p.warnings).toEqual([expect.objectContaining({ line: 1, message: `empty column(s) at position ${width + 1}, ${width + 2} (no header, no value on any line): ignored, nothing is read from them` })]);
    // an empty column in the middle too; a line of another width is still refused, counted as written
    const mid = (r: string) => r.split(';').toSpliced(2, 0, '').join(';');
    expect(parseJominyCsv(`${mid(h)}\n${mid(row('H1'))}\n`).samples[0].chemistry.C).toBe(0.42);
    expect(issues(`${h};;\n${row('H1')};;\n${row('H2')}\n`)).toEqual([{ line: 3, message: `${width} fields, the header has ${width + 2}` }]);
    // an empty header over a value is refused where the value is, by line and column position
    expect(issues(`${h};;\n${row('H1')};;\n${row('H2')};x;\n`)).toEqual([{ line: 3, column: `#${width + 1}`, message: 'column ' + (width + 1) + ' has no header but a value here ("x"): name the column, or empty it' }]);
  });

  it('refuses bad files by line and imports nothing', () => {
    expect(issues(`${header.replace(',C,', ',')}\n${goodRow('H1').replace(',0.42,', ',')}`)[0]).toMatchObject({ line: 1, message: expect.stringMatching(/no C column: carbon is needed/) });
    expect(issues(`${header},Zr\n${goodRow('H1')},0`)[0]).toMatchObject({ line: 1, column: 'Zr', message: expect.stringMatching(/unknown column/) });
    expect(issues(`${header.replace(',B,', ',B (ppm),')}\n${goodRow('H1')}`)[0].message).toMatch(/ppm/);
    expect(issues(`${header.replace('J45', 'J146')}\n${goodRow('H1')}`)[0].message).toMatch(/146 mm is not on a Jominy bar/);
    const bad = [header, goodRow('H1'), '# a comment line', goodRow('H2').replace('0.0002', '20'), goodRow('H3').replace(',58,', ',abc,'), goodRow('H4').replace(',21', ',350')].join('\n');
    const list = issues(bad);
    expect(list).toEqual([
      { line: 4, column: 'B', message: expect.stringMatching(/B 20 wt.% is above .* looks like ppm; give wt.% \(20 ppm = 0.002 wt.%\)/) },
      { line: 5, column: 'J1.5', message: 'hardness "abc" at J1.5 is not a plain decimal number' },
      { line: 6, column: 'J50', message: expect.stringMatching(/350 at J50 is outside 5–70 HRC \(HV values: declare the column/) },
    ]);
    expect(issues(`${header}\n${goodRow('H1')},extra`)[0]).toMatchObject({ line: 2, message: expect.stringMatching(/fields, the header has/) });
    expect(issues(`${header}\n${goodRow('H1').replace(',0.8,', ',-0.8,')}`)[0].message).toMatch(/Mn -0.8 is negative/);
    expect(issues('')[0].message).toMatch(/empty/);
  });

  it('reads every number strictly: 0x37, 0b0, 1e-400, 0., decimal commas in a comma file are refused by line and column', () => {
    const cases: [string, string, string, string][] = [
      // [what replaces the first value in the row, column, expected message]
      [',58,', ',0x37,', 'J1.5', 'hardness "0x37" at J1.5 is not a plain decimal number'],
      [',0.42,', ',0b0,', 'C', 'C value "0b0" is not a plain decimal number'],
      [',0.42,', ',1e-400,', 'C', 'C value "1e-400" is too small to represent (it would read as 0)'],
      [',0.42,', ',4.9e-324,', 'C', 'C value "4.9e-324" is too small to represent exactly'],
      [',0.8,', ',0.,', 'Mn', 'Mn value "0." is not a plain decimal number'],
      [',58,', ',Infinity,', 'J1.5', 'hardness "Infinity" at J1.5 is not a plain decimal number'],
      [',58,', ',<58,', 'J1.5', 'hardness "<58" at J1.5 is a detection limit, not a value (write the analysed value, or leave the cell empty if it was not analysed)'],
      [',0.0002,', ',<0.0005,', 'B', 'B value "<0.0005" is a detection limit, not a value (write the analysed value, or leave the cell empty if it was not analysed)'],
      [',0.42,', ',"0,42",', 'C', 'C value "0,42" uses the decimal mark "," where "." is expected (a comma-separated file takes decimal points; a decimal comma needs ";" or tab as the delimiter)'],
    ];
    for (const [from, to, column, message] of cases) {
      expect(issues(`${header}
${goodRow('H1').replace(from, to)}
`), to).toEqual([{ line: 2, column, message }]);
    }
    // a ; file with decimal commas mixing in a point is refused naming the cell
    const h = header.replace(/,/g, ';');
    const rowComma = goodRow('H1').replace(/,/g, ';').replace(/(\d)\.(\d)/g, '$1,$2');
    expect(parseJominyCsv(`${h}
${rowComma}
`).samples[0].chemistry.Mn).toBe(0.8);
    expect(issues(`${h}
${rowComma.replace(';0,8;', ';0.8;')}
`)).toEqual([
      { line: 2, column: 'Mn', message: 'Mn value "0.8" uses the decimal mark "." where "," is expected (this file uses decimal commas; one file, one mark)' },
    ]);
  });

  it('refuses a last value cut short (fewer decimals than every other heat, no final line break)', () => {
    const rows = [goodRow('H1'), goodRow('H2', [57, 56, 51, 44, 37, 33, 31, 29, 27, 25, 24, 23, 22, 21, 21]), goodRow('H3', [56, 55, 50, 43, 36, 32, 30, 28, 26, 24, 23, 22, 21, 20, 21])].map((r) => r.replace(/,(\d+)(?=,|$)/g, ',$1.5'));
    const whole = [header, ...rows].join('\n');
    expect(parseJominyCsv(whole).samples[2].hardness[14]).toBe(21.5);
    expect(issues(whole.slice(0, -2))).toEqual([{ line: 4, column: 'J50', message: 'value "21" has 0 decimals where every other heat has 1, and the file ends without a line break: it looks cut short (if the value is right, end the file with a line break)' }]);
    expect(parseJominyCsv(`${whole.slice(0, -2)}\n`).samples[2].hardness[14]).toBe(21); // with its line break it is taken as written
  });

  it('refuses a heat id given twice with another analysis, naming the element, both values and lines (test fails before)', () => {
    // line 4 repeats heat H1 with C 0.25 (line 2: 0.42) and Cr 1.27: kept, one heat had two analyses — the grade
    // statistics took the first, the networks trained on both
    const other = goodRow('H1').replace('42CrMo4,0.42,', '42CrMo4,0.25,').replace(',1.05,', ',1.27,');
    expect(issues([header, goodRow('H1'), goodRow('H2', [58, 57, 52, 45, 38, 34, 37, 30, 28, 26, 25, 24, 23, 22, 21]), other].join('\n')).filter((i) => i.line === 4)).toEqual([
      { line: 4, column: 'C', message: 'heat id "H1" has C 0.42 on line 2 and 0.25 here, more apart than a check analysis of one heat can be: one heat has one ladle analysis — give a retest the same analysis (or leave the element empty), or give another heat its own id' },
    ]);
    // the bar's check analysis a few hundredths off the ladle's (C 0.42 / 0.44, Cr 1.05 / 1.08) is the same heat, said
    const check = goodRow('H1', [58, 57, 53, 46, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 21]).replace('42CrMo4,0.42,', '42CrMo4,0.44,').replace(',1.05,', ',1.08,');
    const c = parseJominyCsv([header, goodRow('H1'), check].join('\n'));
    expect(c.samples.map((x) => x.chemistry.C)).toEqual([0.42, 0.44]);
    expect(plainIssues(c.warnings)).toEqual([{ line: 3, message: 'heat id "H1" also on line 2 with another analysis (C 0.42 / 0.44, Cr 1.05 / 1.08; there / here): within what a check analysis of the bar may differ from the ladle\'s, so taken as the same heat; its grade statistics take line 2\'s analysis, each row trains with its own' }]);
    // boron-treated or not is no check analysis: B 0.0002 / 0.003
    expect(issues([header, goodRow('H1'), check.replace(',0.0002,', ',0.003,')].join('\n')).map((i) => [i.line, i.column])).toEqual([[3, 'B']]);
    // a retest that leaves an element empty is the same analysis: taken, as before, with the heat-twice warning
    const blankB = goodRow('H1', [58, 57, 53, 46, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 21]).replace(',0.0002,', ',,');
    const p = parseJominyCsv([header, goodRow('H1'), blankB].join('\n'));
    expect(p.samples).toHaveLength(2);
    expect(plainIssues(p.warnings)).toEqual([{ line: 3, message: 'heat id "H1" also on line 2' }]);
  });

  it('flags non-monotone profiles and duplicate heats without refusing them', () => {
    const rising = [58, 57, 52, 45, 38, 34, 37, 30, 28, 26, 25, 24, 23, 22, 21];
    const retest = [58, 57, 53, 46, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 21]; // a second bar of heat H1
    const p = parseJominyCsv([header, goodRow('H1'), goodRow('H2', rising), goodRow('H1', retest)].join('\n'));
    expect(p.samples).toHaveLength(3);
    expect(plainIssues(p.warnings)).toEqual([
      { line: 3, message: 'profile rises by 3.0 HRC from J11 to J13 (Jominy profiles should not increase with distance)' },
      { line: 4, message: 'heat id "H1" also on line 2' },
    ]);
    // without heat ids, a row with the grade and chemistry of an earlier one is said to be taken as its retest
    const noIds = parseJominyCsv([header, goodRow(''), goodRow('', rising), goodRow('', retest)].join('\n'));
    expect(plainIssues(noIds.warnings).filter((w) => /no heat id/.test(w.message))).toEqual([
      { line: 3, message: 'no heat id, and the grade and chemistry of line 2: taken as a retest of that heat and held with it in every split' },
      { line: 4, message: 'no heat id, and the grade and chemistry of line 2: taken as a retest of that heat and held with it in every split' },
    ]);
    // a row without an id before the row with an id that it is taken with (heat-split.ts heatKeys) is said too
    const idLater = parseJominyCsv([header, goodRow(''), goodRow('H1', retest)].join('\n'));
    expect(heatKeys(idLater.samples)).toEqual(['id:H1', 'id:H1']);
    expect(plainIssues(idLater.warnings).filter((w) => /no heat id/.test(w.message))).toEqual([
      { line: 2, message: 'no heat id, and the grade and chemistry of line 3: taken as a retest of that heat and held with it in every split' },
    ]);
  });

  it('refuses, in an undeclared file with J1.5-style columns, a heat read only at whole J-numbers one apart (sixteenths merged into mm)', () => {
    // Lab A in mm (J1.5, J3, J5, J7, J9), lab B in sixteenths (J1, J2, J4, J6, J8) merged into one sheet: heat S1 was
    // stored at 1, 2, 4, 6, 8 mm instead of 1.6, 3.2, 6.4, 9.5, 12.7 mm, without a word.
    const head = 'heat_id,C,Mn,Cr,J1,J1.5,J2,J3,J4,J5,J6,J7,J8,J9';
    const mm = 'M1,0.40,0.85,1.0,,56,,55,,53,,50,,46';
    const six = 'S1,0.41,0.80,1.1,57,,56,,54,,51,,48,';
    expect(issues([head, mm, six].join('\n'))).toEqual([{ line: 3, message: expect.stringMatching(/^this heat has readings only at J1, J2, J4, J6, J8: whole numbers one apart, as sixteenths of an inch are numbered, while other heats of the file are read at positions such as J1.5 \(mm\)/) }]);
    // Declared mm, the same file is the mm it says; an mm heat missing J1.5 (J3, J5, J7 …) is no such pattern.
    expect(parseJominyCsv(`# distance-unit: mm\n${[head, mm, six].join('\n')}`).samples[1].hardness.slice(0, 3)).toEqual([57, NaN, 56]);
    expect(parseJominyCsv([head, mm, 'M2,0.40,0.85,1.0,,,,55,,53,,50,,46'].join('\n')).samples).toHaveLength(2);
  });

  it('refuses a row that repeats an earlier one value for value (a pasted copy), under its heat id or another', () => {
    // Kept, the copy was a second heat: learnt twice, and split across training and test the held-out error
    // was measured on heats the model had learnt (a synthetic file appended to itself: MAE 1.45 → 0.99 HRC).
    const copy = 'repeats line 2 value for value (grade, chemistry and every reading; only the heat id may differ): the same heat pasted twice or a file appended to itself, which would be learnt twice and could be tested on its own copy; remove the repeated row';
    expect(issues([header, goodRow('H1'), goodRow('H2', [57, 56, 51, 44, 37, 33, 31, 29, 27, 25, 24, 23, 22, 21, 20]), goodRow('H1')].join('\n'))).toEqual([{ line: 4, message: copy }]);
    expect(issues([header, goodRow(''), goodRow('H7')].join('\n'))).toEqual([{ line: 3, message: copy }]);
    // A file appended to itself: every row of the second half names its first.
    const synth = writeJominyCsv(generateSynthetic({ n: 6, seed: 3 }), { synthetic: 'appended to itself' }).trimEnd().split('\n');
    const body = synth.filter((l) => !l.startsWith('#')).slice(1);
    const twice = [...synth, ...body].join('\n') + '\n';
    const first = synth.length - body.length + 1; // the file line of the first heat
    expect(issues(twice)).toEqual(body.map((_, k) => ({ line: synth.length + 1 + k, message: copy.replace('line 2', `line ${first + k}`) })));
    // One reading apart is another bar, kept (a warning names a shared heat id).
    expect(parseJominyCsv([header, goodRow('H1'), goodRow('H1', [58, 57, 52, 45, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 20.5])].join('\n')).samples).toHaveLength(2);
  });
});
