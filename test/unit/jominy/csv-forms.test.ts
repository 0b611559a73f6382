import { describe, expect, it } from 'vitest';
import { plainIssues, refusedIssues } from '../../helpers/csv-issues.js';
import { parseJominyCsv, type CsvIssue } from '../../../core/jominy/csv.js';
import { previewJominyCsv } from '../../../core/jominy/csv-preview.js';
import { hvToHrc, E140_TABLE1_HRC_HV } from '../../../core/jominy/hardness-conversion.js';
import { curveRises } from '../../../core/jominy/profile-checks.js';

/** Plant forms of a Jominy CSV (issue 12, "Import as it comes"): each imports, or is refused by line/column/value. */

const issues = (text: string, opts: Parameters<typeof parseJominyCsv>[1] = {}): Omit<CsvIssue, 'phrase'>[] => plainIssues(refusedIssues(text, opts));

const chem = '0.40,0.80,0.25,1.00,0.20';
const chemHead = 'heat,grade,C,Mn,Si,Cr,Mo';

describe('Jominy CSV as plants write it', () => {
  it('reads sixteenths of an inch declared in the header or by the flag (J-number n → n × 1.5875 mm)', () => {
    const body = `${chemHead},J1,J2,J4,J8,J16\nH1,4140,${chem},56,55,52,44,35\n`;
    const p = parseJominyCsv(`# distance-unit: sixteenths\n${body}`);
    expect(p.layout).toMatchObject({ unit: 'sixteenths', labels: ['J1', 'J2', 'J4', 'J8', 'J16'], distancesMm: [1.5875, 3.175, 6.35, 12.7, 25.4] });
    expect(parseJominyCsv(body, { distanceUnit: 'sixteenths' }).layout.distancesMm).toEqual([1.5875, 3.175, 6.35, 12.7, 25.4]);
    // undeclared, whole numbers one apart (J1, J2 …) could be sixteenths or mm: refused as ambiguous, never read as mm —
    // they had imported as 1, 2, 4, 8, 16 mm, every reading at 1/1.5875 of its distance, without a word
    expect(issues(body)).toEqual([{ line: 1, message: 'the distance columns J1, J2, J4, J8, J16 are ambiguous: whole numbers could be sixteenths of an inch (ASTM A255: J1 = 1.59 mm, J2 = 3.18 mm …; J16 would be 25.4 mm) or positions in mm (the EN ISO 642 layout in mm starts at J1.5), and the file does not say which: declare the unit with a line "# distance-unit: sixteenths" or "# distance-unit: mm" above the header, a header that says mm (J5 mm), --distance-unit, or the import\'s Distances choice' }]);
    expect(issues(`${chemHead},J1,J2,J3,J4,J5,J6,J7,J8,J9,J10,J11,J12,J13,J14,J15,J16,J18,J20,J24,J28,J32\nH1,4140,${chem},${Array.from({ length: 21 }, (_, i) => 56 - i).join(',')}\n`)[0].message).toMatch(/^the distance columns J1, J2, J3, .* J32 are ambiguous/);
    // a plant's own layout in mm (1, 2, 3, 5, 7 mm) is numbered the same way: the same refusal, worded as the ambiguity
    // it is (not "never mm"), and it imports once mm is declared
    const plantMm = `${chemHead},1,2,3,5,7\nH1,4140,${chem},56,55,53,50,46\n`;
    expect(issues(plantMm)[0].message).toMatch(/^the distance columns J1, J2, J3, J5, J7 are ambiguous: .* or positions in mm/);
    expect(parseJominyCsv(`# distance-unit: mm\n${plantMm}`).layout).toMatchObject({ unit: 'mm', distancesMm: [1, 2, 3, 5, 7] });
    // declared mm, or a column that says mm, is mm as given; so are positions not numbered so
    expect(parseJominyCsv(`# distance-unit: mm\n${body}`).layout).toMatchObject({ unit: 'mm', distancesMm: [1, 2, 4, 8, 16] });
    expect(parseJominyCsv(body, { distanceUnit: 'mm' }).layout).toMatchObject({ unit: 'mm', distancesMm: [1, 2, 4, 8, 16] });
    expect(parseJominyCsv(body.replace('J16', 'J16 mm')).layout.distancesMm).toEqual([1, 2, 4, 8, 16]);
    expect(parseJominyCsv(`${chemHead},J1.5,J3,J5,J7,J9\nH1,4140,${chem},56,55,52,44,35\n`).layout.unit).toBe('mm');
    expect(parseJominyCsv(`# distance-unit: mm\n${chemHead},J1,J3,J5,J7,J9\nH1,4140,${chem},56,55,52,44,35\n`).layout.distancesMm).toEqual([1, 3, 5, 7, 9]);
    expect(issues(`# distance-unit: mm\n${body}`, { distanceUnit: 'sixteenths' })[0].message).toBe('the file declares distances in mm but the import was asked for sixteenths');
    expect(issues(`# distance-unit: sixteenths\n${body.replace('J16', 'J16 mm')}`)[0]).toMatchObject({ line: 2, column: 'J16 mm', message: expect.stringMatching(/in mm but the file declares distances in sixteenths/) });
  });

  it('refuses, undeclared, any whole-number distance list that could be sixteenths, not only one numbered one apart', () => {
    // An ⅛-inch lab sheet (J2, J4 … J16, J20 … J32) had imported as 2, 4 … 32 mm without a word: its J32 is 50.8 mm.
    // Only numbers one apart up to J16 had been taken for sixteenths; whole numbers alone cannot tell the unit.
    const even = [2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32];
    const sheet = `${chemHead},${even.map((n) => `J${n}`).join(',')}\nH1,4140,${chem},${even.map((_, k) => 56 - 2 * k).join(',')}\n`;
    expect(issues(sheet)).toEqual([{ line: 1, message: expect.stringMatching(/^the distance columns J2, J4, J6, J8, J10, J12, J14, J16, J20, J24, J28, J32 are ambiguous: whole numbers could be sixteenths of an inch \(ASTM A255: J1 = 1\.59 mm, J2 = 3\.18 mm …; J32 would be 50\.8 mm\)/) }]);
    expect(parseJominyCsv(`# distance-unit: sixteenths\n${sheet}`).layout.distancesMm).toEqual([3.175, 6.35, 9.525, 12.7, 15.875, 19.05, 22.225, 25.4, 31.75, 38.1, 44.45, 50.8]);
    expect(parseJominyCsv(sheet, { distanceUnit: 'mm' }).layout.distancesMm).toEqual(even);
    // odd sixteenths, a two-column file, and EN ISO 642's mm layout without its 1.5 (3, 5 … 50: as sixteenths J50 is
    // 79.4 mm, on the bar) are as ambiguous: refused, and one line declares them
    const iso = [3, 5, 7, 9, 11, 13, 15, 20, 25, 30, 35, 40, 45, 50];
    const isoNo15 = `${chemHead},${iso.map((n) => `J${n}`).join(',')}\nH1,4140,${chem},${iso.map((_, k) => 56 - 2 * k).join(',')}\n`;
    for (const text of [`${chemHead},J1,J3,J5,J7,J9\nH1,4140,${chem},56,55,52,44,35\n`, `${chemHead},J5,J10\nH1,4140,${chem},50,40\n`, isoNo15])
      expect(issues(text).map((i) => i.message)).toEqual([expect.stringMatching(/^the distance columns J\d.* are ambiguous: whole numbers could be sixteenths/)]);
    expect(issues(isoNo15)[0].message).toContain('J50 would be 79.375 mm');
    expect(parseJominyCsv(`# distance-unit: mm\n${isoNo15}`).layout).toMatchObject({ unit: 'mm', distancesMm: iso });
    expect(parseJominyCsv(isoNo15.replace('J50', 'J50 mm')).layout).toMatchObject({ unit: 'mm', distancesMm: iso });
    // accepted as mm with no word: EN ISO 642 with its 1.5 (a fraction: no sixteenth), a distance past the bar in sixteenths (J70: 111 mm)
    expect(parseJominyCsv(isoNo15.replace(`${chemHead},J3`, `${chemHead},J1.5,J3`).replace(`${chem},56`, `${chem},57,56`)).layout.distancesMm).toEqual([1.5, ...iso]);
    expect(parseJominyCsv(`${chemHead},J5,J10,J70\nH1,4140,${chem},50,40,30\n`).layout.distancesMm).toEqual([5, 10, 70]);
    // nothing stored: the import's preview and the import itself refuse the same file
    expect(previewJominyCsv(sheet)).toMatchObject({ ok: false, errors: [{ line: 1, phrase: { code: 'jominyDistanceUnit.undeclared', params: { last: 'J32', lastMm: { value: 50.8 } } } }] });
  });

  it('refuses a J-number that is no whole sixteenth in a file declared in sixteenths (an EN ISO 642 file declared wrongly)', () => {
    // J1.5, J3, J5 … declared sixteenths had imported as 2.38, 4.76, 7.94 … mm: every reading 1.5875 × too far from the
    // quenched end, without a word. Sixteenths are whole numbers (A255: J1, J2, J3 …).
    const iso = `${chemHead},J1.5,J3,J5,J7\nH1,4140,${chem},56,55,52,44\n`;
    const said = (line: number, header: string, n: string) => ({ line, column: header, message: `column "${header}": J${n} is not a whole sixteenth of an inch (sixteenths are J1, J2, J3 …); positions such as J1.5, J3, J5 are in mm: declare mm` });
    expect(issues(`# distance-unit: sixteenths\n${iso}`)).toEqual([said(2, 'J1.5', '1.5')]);
    expect(issues(iso.replace('J1.5', 'J2.5a,J2.5b').replace('56,', '56,56,'), { distanceUnit: 'sixteenths' })).toEqual([said(1, 'J2.5a', '2.5'), said(1, 'J2.5b', '2.5')]);
    expect(parseJominyCsv(iso).layout.distancesMm).toEqual([1.5, 3, 5, 7]);
  });

  it('warns when grade names differ only in case, spaces or hyphens (kept apart, as written)', () => {
    // "42CrMo4", "42CRMO4" and "42 CrMo4" typed by hand were three grades without a word: three grade means, and a
    // by-grade split that could train on one spelling and "hold out" the same steel under another.
    const text = `heat,grade,C,Mn,J1.5,J3\nH1,42CrMo4,0.40,0.80,55,54\nH2,42CRMO4,0.41,0.80,55,54\nH3,C45,0.45,0.70,58,50\nH4,42 CrMo4,0.42,0.80,55,54\nH5,42CrMo4,0.40,0.81,55,54\n`;
    const p = parseJominyCsv(text);
    expect(p.samples.map((x) => x.grade)).toEqual(['42CrMo4', '42CRMO4', 'C45', '42 CrMo4', '42CrMo4']);
    expect(p.warnings.map((w) => [w.line, w.message])).toEqual([[3, 'grades 42CrMo4, 42CRMO4, 42 CrMo4 differ only in case, spaces or hyphens: they stay separate grades (grade means, per-grade statistics, by-grade splits); write one spelling if they are one grade']]);
    expect(p.warnings[0].phrase?.code).toBe('jominyGradeSpelling.variants');
  });

  it('keeps plant-specific positions as given and sorts the columns by distance', () => {
    const p = parseJominyCsv(`${chemHead},J6,J2,J4.5,J10,J17\nH1,4140,${chem},50,55,53,45,38\n`);
    expect(p.layout.distancesMm).toEqual([2, 4.5, 6, 10, 17]);
    expect(p.samples[0].hardness).toEqual([55, 53, 50, 45, 38]);
  });

  it('takes partial curves: an empty cell or a declared token is missing (NaN, never 0); an undeclared token is refused by line, column and value', () => {
    const text = `${chemHead},J1.5,J3,J5,J7,J9\nH1,4140,${chem},56,,52,NA,44\nH2,4140,${chem},55,54,,,\n`;
    expect(issues(text)).toEqual([{ line: 2, column: 'J7', message: 'hardness "NA" at J7 is not a plain decimal number (an empty cell is a missing reading; a token for one must be declared: # missing: NA)' }]);
    const p = parseJominyCsv(`# missing: NA\n${text}`);
    expect(p.samples[0].hardness).toEqual([56, NaN, 52, NaN, 44]);
    expect(p.samples[1].hardness).toEqual([55, 54, NaN, NaN, NaN]);
    expect(parseJominyCsv(text, { missing: ['NA'] }).samples[0].hardness[3]).toBeNaN();
    // a present cell that is no number is still refused
    expect(issues(`${text.replace(',NA,', ',4x,')}`)).toEqual([{ line: 2, column: 'J7', message: 'hardness "4x" at J7 is not a plain decimal number' }]);
    expect(issues(`${chemHead},J1.5,J3\nH1,4140,${chem},,\n`)).toEqual([{ line: 2, message: 'no hardness measured at any distance' }]);
  });

  it('reads two flats (J1a,J1b or J1_front,J1_back): the mean is the hardness, both are kept', () => {
    const p = parseJominyCsv(`${chemHead},J1a,J1b,J2_front,J2_back,J4a,J4b\nH1,4140,${chem},56,55,54,,50,44.5\n`, { distanceUnit: 'sixteenths' });
    expect(p.layout.labels).toEqual(['J1', 'J2', 'J4']);
    expect(p.samples[0].hardness).toEqual([55.5, 54, 47.25]);
    expect(p.samples[0].measured).toEqual({ converted: [false, false, false], front: [56, 54, 50], back: [55, null, 44.5] });
    expect(plainIssues(p.warnings)).toEqual([{ line: 2, column: 'J4', message: 'flats at J4 differ by 5.5 HRC (50 and 44.5); their mean is used' }]);
    expect(issues(`${chemHead},J1a,J2\nH1,4140,${chem},56,55\n`)[0]).toMatchObject({ line: 1, column: 'J1', message: 'J1 has flat a but not flat b: two flats come as a pair (J1a,J1b)' });
    expect(issues(`${chemHead},J1,J1a,J1b\nH1,4140,${chem},56,55,54\n`)[0].message).toMatch(/J1 has both a single column and flat columns/);
    expect(issues(`${chemHead},J1a HV,J1b,J2\nH1,4140,${chem},600,55,54\n`)[0].message).toBe('the two flats of J1 are declared in different scales (J1a HV, J1b); one distance, one scale');
  });

  it('refuses two flats more than 10 HRC apart, naming both: their mean is no reading (a typo, a misread indent) (task 24-D)', () => {
    // 56 and 36 at J4 (a 5 typed as 3) had been stored as 46 HRC, with a warning among the others
    expect(issues(`${chemHead},J1a,J1b,J4a,J4b\nH1,4140,${chem},56,55,56,36\n`, { distanceUnit: 'sixteenths' })).toEqual([
      { line: 2, column: 'J4', message: 'flats at J4 are 20.0 HRC apart (56 and 36): two flats of one bar do not differ so; their mean would be no reading — correct the mistyped or misread one' },
    ]);
    expect(parseJominyCsv(`${chemHead},J1a,J1b,J4a,J4b\nH1,4140,${chem},56,55,50,40\n`, { distanceUnit: 'sixteenths' }).samples[0].hardness).toEqual([55.5, 45]);
  });

  it('converts HV to HRC only by ASTM E140 Table 1, marks it converted, and refuses HV outside the table', () => {
    expect(hvToHrc(513)).toEqual({ ok: true, hrc: 50 });
    expect(hvToHrc(505.5)).toEqual({ ok: true, hrc: 49.5 });
    expect(hvToHrc(238)).toEqual({ ok: true, hrc: 20 });
    expect(hvToHrc(237)).toMatchObject({ ok: false });
    expect(E140_TABLE1_HRC_HV).toHaveLength(49);
    // per column
    const p = parseJominyCsv(`${chemHead},J1.5,J3 HV,J5\nH1,4140,${chem},56,577,52\n`);
    expect(p.samples[0].hardness).toEqual([56, 54, 52]);
    expect(p.samples[0].measured).toEqual({ converted: [false, true, false], front: [56, 577, 52], back: null });
    // per row (scale column), with two flats
    const q = parseJominyCsv(`${chemHead},scale,J1.5a,J1.5b,J5a,J5b\nH1,4140,${chem},HV,697,653,513,498\nH2,4140,${chem},HRC,58,59,50,49\n`);
    expect(q.samples[0].hardness).toEqual([59, 49.5]);
    expect(q.samples[0].measured?.converted).toEqual([true, true]);
    expect(q.samples[1].hardness).toEqual([58.5, 49.5]);
    expect(q.samples[1].measured?.converted).toEqual([false, false]);
    // per file
    expect(parseJominyCsv(`# hardness-scale: HV\n${chemHead},J1.5,J5\nH1,4140,${chem},697,513\n`).samples[0].hardness).toEqual([60, 50]);
    expect(issues(`${chemHead},J1.5,J30 HV\nH1,4140,${chem},56,980\n`)).toEqual([
      { line: 2, column: 'J30 HV', message: 'hardness 980 HV at J30 is outside ASTM E140 Table 1 (238–940 HV = HRC 20–68); it cannot be converted to HRC' },
    ]);
    // below 238 HV (above the 100 HV soft floor) the heat read below the Rockwell C scale: the refusal names the option
    expect(issues(`${chemHead},J1.5,J30 HV\nH1,4140,${chem},56,200\n`)[0].message).toContain('Import with --below-scale empty');
  });

  it('takes any subset of elements: an element not in the file is absent from every heat (never 0); an empty element cell is missing on that heat', () => {
    const head = 'heat,C,Mn,Si,Ni,Cr,Ti,Mo,B,J1.5,J5';
    const p = parseJominyCsv(`${head}\nH1,0.2,0.9,0.25,0.1,0.5,0.03,0.02,0.002,45,38\n`);
    expect(p.layout.elements).toEqual(['C', 'Mn', 'Si', 'Cr', 'Ni', 'Mo', 'B', 'Ti']);
    expect(p.samples[0].chemistry).toEqual({ C: 0.2, Mn: 0.9, Si: 0.25, Ni: 0.1, Cr: 0.5, Ti: 0.03, Mo: 0.02, B: 0.002 });
    expect('P' in p.samples[0].chemistry).toBe(false);
    const gap = parseJominyCsv(`${head}\nH1,0.2,0.9,0.25,0.1,0.5,0.03,0.02,,45,38\n`);
    expect(gap.layout.elements).toContain('B');
    expect('B' in gap.samples[0].chemistry).toBe(false);
  });

  it('reports every rise of a non-monotone curve (distances and size), and refuses a curve rising along the bar overall', () => {
    expect(curveRises([58, 50, 53.5, 46, 40, 43, 38])).toEqual([{ from: 1, to: 2, size: 3.5 }, { from: 4, to: 5, size: 3 }]);
    expect(curveRises([58, 57.5, 58, 57, 56.5])).toEqual([]); // within scatter
    const p = parseJominyCsv(`${chemHead},J1.5,J3,J5,J7,J9,J11,J13\nH1,4140,${chem},58,50,53.5,46,40,43,38\n`);
    expect(plainIssues(p.warnings)).toEqual([
      { line: 2, message: 'profile rises by 3.5 HRC from J3 to J5 (Jominy profiles should not increase with distance)' },
      { line: 2, message: 'profile rises by 3.0 HRC from J9 to J11 (Jominy profiles should not increase with distance)' },
    ]);
    // a partial curve's rise spans the unmeasured cells
    expect(parseJominyCsv(`${chemHead},J1.5,J3,J5,J7\nH1,4140,${chem},50,45,,49\n`).warnings[0].message).toBe('profile rises by 4.0 HRC from J3 to J7 (Jominy profiles should not increase with distance)');
    expect(issues(`${chemHead},J1.5,J3,J5,J7\nH1,4140,${chem},30,35,45,52\n`)).toEqual([
      { line: 2, message: 'hardness rises along the bar overall, from 30.0 HRC at J1.5 to 52.0 HRC at J7: a Jominy curve falls from the quenched end (columns in reverse order, or distances from the wrong end?)' },
    ]);
  });

  it('refuses a rise of more than 10 HRC in one curve, naming the reading: no scatter makes it (an HRB tail in an HRC column, a typo) (task 24-D)', () => {
    // 45, 38, 30, 24, 21 then "65" at J11 (an HRB reading of the soft end) had been stored with a warning among the
    // others and learnt from as 65 HRC; a typed 56 for 36 the same
    expect(issues(`${chemHead},J1.5,J3,J5,J7,J9,J11\nH1,4140,${chem},45,38,30,24,21,65\nH2,4140,${chem},52,40,56,30,26,24\n`)).toEqual([
      { line: 2, column: 'J11', message: 'hardness 65 HRC at J11 is 44.0 HRC above the 21 HRC at J9: no Jominy curve rises so (scatter is about ±1 HRC) — a reading in another scale (HRB, HV) or a mistyped value? correct the cell, or declare its scale' },
      { line: 3, column: 'J5', message: 'hardness 56 HRC at J5 is 16.0 HRC above the 40 HRC at J3: no Jominy curve rises so (scatter is about ±1 HRC) — a reading in another scale (HRB, HV) or a mistyped value? correct the cell, or declare its scale' },
    ]);
    // up to 10 HRC it stays a warning, as before
    expect(parseJominyCsv(`${chemHead},J1.5,J3,J5,J7\nH1,4140,${chem},50,40,50,38\n`).warnings.map((w) => w.message)).toEqual(['profile rises by 10.0 HRC from J3 to J5 (Jominy profiles should not increase with distance)']);
  });
});
