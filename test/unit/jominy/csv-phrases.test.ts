import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JominyCsvError, parseJominyCsv, type CsvIssue } from '../../../core/jominy/csv.js';
import { previewJominyCsv } from '../../../core/jominy/csv-preview.js';
import { PHRASE_CODES } from '../../../core/api/phrase.js';
import { english } from '../../../core/runtime/english.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { refusedIssues } from '../../helpers/csv-issues.js';

/**
 * A Jominy CSV's problems as phrase codes (issue 15): every issue carries its sentence as a code beside the English
 * message the CLI prints, so the interface words it in Chinese or Italian with the cell's value quoted exactly as
 * written. The English words come from the one catalog (core/api/i18n/en), so message and code cannot drift apart.
 */
const refused = (text: string, opts: Parameters<typeof parseJominyCsv>[1] = {}): CsvIssue[] => refusedIssues(text, opts);

const head = 'heat_id;C;Mn;J1.5;J3';
const zh = reportPhraser('zh');
const it_ = reportPhraser('it');

/**
 * Files that between them make every jominyCsv code (and a chem.* limit) come out. Whole-number distances (J1, J2) are
 * declared sixteenths: undeclared they are refused as ambiguous (mm or sixteenths) before the issue a file is here for.
 */
const BAD: [string, object?][] = [
  [''],
  ['# distance-unit: inches\nC,J1,J2\n0.4,50,40\n'],
  ['# distance-unit: mm\nC,J1,J2\n0.4,50,40\n', { distanceUnit: 'sixteenths' }],
  ['# distance-unit: sixteenths\nC,J1,J2\n0.4,50,40\n', { distanceUnit: 'mm' }],
  ['# hardness-scale: HB\nC,J1,J2\n0.4,50,40\n', { distanceUnit: 'sixteenths' }],
  ['C,J1,J2\n0.4,50,40\n', { decimalMark: ',', distanceUnit: 'sixteenths' }],
  // below the Rockwell C scale (20 HRC, ASTM E18) in an HRC column of a plant file
  ['C,J1,J2\n0.4,50,15\n', { distanceUnit: 'sixteenths' }],
  ['C,J1,J2\n"0.4\n1",50,40\n', { distanceUnit: 'sixteenths' }],
  ['C (ppm),Zr,HV_J1_HRC,J200,J1,J1,J2a,J2a,J3a HV,J3b,J4a,J5,J5a,J5b,Mn,Mn\n'],
  ['# distance-unit: sixteenths\nC,J70,J3 mm,J1,J2\n'],
  ['Mn,J1\n0.8,50\n'],
  ['C\n0.4\n'],
  ['C,J1\n0.4,50\n'],
  [`C,J1,J2\n${'0.4,50,40\n'.repeat(200_001)}`, { distanceUnit: 'sixteenths' }],
  ['heat_id;C;Mn;J1.5;J3\nH1;1,100;1,250;52,000;50,000\n'],
  ['# distance-unit: sixteenths\nheat_id,scale,grain_size,C,Mn,B,J1,J2a,J2b,J3 HV\nH1,HB,15,0.4,0.8,20,50,40,41,500\nH2,,,0.4,0.8,0.002,50,40,41,200,9\nH3,,,0.4,0.8,0.002,80,40,41,500\nH4,,,0.4,0.8,0.002,2,40,41,500\nH5,,,0.4,0.8,0.002,,,,\nH6,,,0.4,0.8,0.002,20,30,30,700\nH7,,,0.4,0.8,0.002,50,40,41,200\n'],
  ['C,J1,J2\n', { distanceUnit: 'sixteenths' }],
  ['# distance-unit: sixteenths\nC,Mn,Si,Cr,Mo,V,Ni,J1,J2,J3,J4,J5\n<0.4,0x1,1e-400,4.9e-324,1e999,NA,0.1,<50,4x,NA,1e-400,4.9e-324\n0.4,0.8,0.2,1,0.2,0.1,0.1,1e999,0.4,0.3,0.2,0.1\n'],
  ['C,J1\n0.4\n', {}],
  ['C;Mn;J1;J2\n0,4;0,8;50,5;40,5\n0.4;0,8;50,5;40,5\n0,4;0,8;50.5;40,5\n', { distanceUnit: 'sixteenths' }],
  ['C;Mn;J1;J2\n0.4;0.8;50.5;40.5\n0,4;0.8;50.5;40.5\n0.4;0.8;50,5;40.5\n', { distanceUnit: 'sixteenths' }],
  ['C,Mn,J1,J2\n"0,4",0.8,"50,5",40\n', { distanceUnit: 'sixteenths' }],
  ['C;J1;J2\n0.4;50;40\n', { decimalMark: ',', distanceUnit: 'sixteenths' }],
  ['C;J1;J2\n0,4;50.5;40\n', { decimalMark: ',', distanceUnit: 'sixteenths' }],
  ['C,J1,J2\n0.4,50.5,40.5\n0.4,50.5,40.5\n0.4,50.5,40.5\n0.4,50.5,40', { distanceUnit: 'sixteenths' }],
  ['C,J1,J2\n0.4,50.55,40.55\n0.4,50.55,40.55\n0.4,50.55,40.55\n0.4,50.55,40.5', { distanceUnit: 'sixteenths' }],
  ['C,J1,J2,\n0.4,50,40,x\n', { distanceUnit: 'sixteenths' }],
  ['C,J1.5,J3,J5,J7,J9\n0.4,50,45,40,30,45\n'],
  ['# distance-unit: sixteenths\nC,J1a,J1b,J2a HV,J2b HV\n0.4,56,36,600,300\n'],
  // a missing token that is a bound below the scale (refused without the option); a bound no reading has ("<0")
  ['# missing: <20\nC,J1.5,J30\n0.4,50,<20\n'],
  ['C,J1.5,J30\n0.4,50,<0\n', { belowScale: 'empty' }],
  // an HV reading above E140's table; one below 238 HV with the option off
  ['C,J1.5 HV,J30 HV\n0.4,1000,220\n'],
];
/** Warnings of files that are imported. */
const WARN = 'heat_id,C,J1a,J1b,J2 ,J3,J4a HV,J4b HV\nH1,0.4,50,44,40,43,340,300\nH1,0.4,50,50,40,30,300,300\n';
/** A file with an empty trailing column: imported, with a word that nothing is read from it. */
const EMPTY_COLUMN = 'C,J1,J2,\n0.4,50,40,\n';
/** A retest without a heat id: imported, with a word that it is held with the row of its chemistry. */
const NO_ID_RETEST = 'C,J1,J2\n0.4,50,40\n0.4,51,41\n';
/** A heat whose rows name two grades: imported as its first row's grade, with a word on the later row. */
const TWO_GRADES = 'heat_id,grade,C,J1,J2\nH1,A,0.4,50,40\nH1,B,0.4,51,41\n';
/** The three files above are numbered in sixteenths (J1, J2): declared so, as an undeclared file so numbered is refused. */
const six = { distanceUnit: 'sixteenths' } as const;
/**
 * Readings below 20 HRC (a number and a "<20" bound, in HRC and HV), imported with `belowScale: 'empty'`: left empty, a
 * word per cell; the heat's retest (line 3) is left empty at those distances and later ones too, a word per cell.
 */
const BELOW_SCALE = 'heat_id,C,J1.5,J30,J40,J50 HV\nH1,0.4,50,19,<20,220\nH1,0.4,50,25,21,<238\nH1,0.4,,24,,\n';

describe('Jominy CSV problems as phrase codes', () => {
  const all = BAD.flatMap(([text, opts]) => refused(text, opts));
  const warnings = parseJominyCsv(WARN, { distanceUnit: 'sixteenths' }).warnings;
  const belowScale = parseJominyCsv(BELOW_SCALE, { belowScale: 'empty' }).warnings;

  it('every issue carries a phrase whose English words are its message, exactly', () => {
    for (const i of [...all, ...warnings, ...belowScale]) {
      expect(i.phrase, i.message).toBeDefined();
      expect(english(i.phrase!)).toBe(i.message);
    }
  });

  it('every jominyCsv code comes out of some file (the catalog has no sentence the importer never says)', () => {
    const seen = new Set([...all, ...warnings, ...belowScale, ...parseJominyCsv(EMPTY_COLUMN, six).warnings, ...parseJominyCsv(NO_ID_RETEST, six).warnings, ...parseJominyCsv(TWO_GRADES, six).warnings].map((i) => i.phrase!.code));
    seen.add(new JominyCsvError(all).phrase.code); // the headline of a refused file
    // one heat id, two analyses (refused on its own: the file above keeps its retests' chemistry)
    for (const i of refused('heat,C,Mn,J1.5,J3\nH1,0.40,0.8,50,40\nH1,0.55,0.8,51,41\n')) seen.add(i.phrase!.code);
    // one heat id, the bar's check analysis (warned)
    for (const i of parseJominyCsv('heat,C,Mn,J1.5,J3\nH1,0.40,0.8,50,40\nH1,0.42,0.8,51,41\n').warnings) seen.add(i.phrase!.code);
    expect(PHRASE_CODES.filter((c) => c.startsWith('jominyCsv.') && !seen.has(c)).join(' ')).toBe('');
    expect(seen.has('chem.aboveLimitPpm')).toBe(true); // the limits table's own sentence, in every reader
  });

  it('says a few sentences exactly as the CLI always has', () => {
    const at = (line: number, column?: string) => all.find((i) => i.line === line && i.column === column);
    expect(refused(`${head}\nH1;0,4x;0,8;55;50\nH2;0,41;0,8;55;50\n`)).toMatchObject([
      { line: 2, column: 'C', message: 'C value "0,4x" is not a plain decimal number', phrase: { code: 'jominyCsv.element.notDecimal', params: { el: 'C', value: '0,4x' } } },
    ]);
    expect(refused('heat,C,J1,J2\nH1,0.4,NA,40\n', { distanceUnit: 'sixteenths' })[0].message).toBe('hardness "NA" at J1 is not a plain decimal number (an empty cell is a missing reading; a token for one must be declared: # missing: NA)');
    expect(refused('C,J1,J2\n0.4,50,40\n', { decimalMark: ',', distanceUnit: 'sixteenths' })[0].message).toBe('a comma-separated file cannot use decimal commas: write decimal points, or save with ";" as the delimiter');
    expect(refused('C,J1\n0.4,50\n')[0].message).toBe('one hardness column: a Jominy curve needs at least two distances (J<distance>, e.g. J1.5,J3,… or J1,J2,… in sixteenths)');
    expect(at(1, 'Zr')?.message).toMatch(/^unknown column "Zr" \(expected elements C, Mn, Si/);
    const e = new JominyCsvError(refused('C,J1\n0.4,50\n'));
    expect(e.message).toBe('problems in the Jominy CSV: 1; nothing was imported. line 1: one hardness column: a Jominy curve needs at least two distances (J<distance>, e.g. J1.5,J3,… or J1,J2,… in sixteenths)');
    expect(warnings.map((w) => w.message)).toEqual([
      'flats at J1 differ by 6.0 HRC (50 and 44); their mean is used',
      'flats at J4 differ by 4.7 HRC (340 and 300 HV); their mean is used', // E140: 340 HV = 34.44 HRC, 300 HV = 29.75 HRC,
      'profile rises by 3.0 HRC from J2 to J3 (Jominy profiles should not increase with distance)',
      'heat id "H1" also on line 2',
    ]);
  });

  it('words a refused cell in Italian and Chinese with its value quoted exactly as written, and numbers in the frame', () => {
    const [cell] = refused(`${head}\nH1;0,4x;0,8;55;50\nH2;0,41;0,8;55;50\n`);
    expect(it_(cell.phrase)).toBe('C: il valore «0,4x» non è un numero decimale semplice');
    expect(zh(cell.phrase)).toBe('C 数值“0,4x”不是普通的十进制数');
    const [mark] = refused('C;Mn;J1;J2\n0,4;0,8;50,5;40,5\n0.4;0,8;50,5;40,5\n', { distanceUnit: 'sixteenths' });
    expect(mark.phrase!.params).toMatchObject({ value: '0.4', mark: ',', other: '.' });
    expect(it_(mark.phrase)).toBe('C: il valore «0.4» usa il separatore decimale «.» dove è atteso «,» (questo file usa la virgola decimale; un file, un solo separatore)');
    const [flat] = warnings;
    expect(zh(flat.phrase)).toBe('J1 处两个测量面相差 6.0 HRC（50 和 44）；取其平均值');
  });

  it('the preview hands the same phrases to the interface', () => {
    const p = previewJominyCsv(`${head}\nH1;0,4x;0,8;55;50\nH2;0,41;0,8;55;50\n`);
    expect(p.ok).toBe(false);
    expect(p.errors[0].phrase).toEqual({ code: 'jominyCsv.element.notDecimal', params: { el: 'C', value: '0,4x' } });
  });
});

describe('the CLI prints the English words of the same codes', () => {
  const { dir, cleanup } = tempDir('ferrolab-jominy-csv-phrases-');
  afterAll(cleanup);
  it('jominy datasets import: the refused cell in the catalog\'s English words, the value as written', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, `${head}\nH1;0,4x;0,8;55;50\nH2;0,41;0,8;55;50\n`);
    const r = await runCli(join(dir, 'data'), 'jominy', 'datasets', 'import', file);
    expect(r.rc).toBe(1);
    const [cell] = refused(`${head}\nH1;0,4x;0,8;55;50\nH2;0,41;0,8;55;50\n`);
    expect(r.err).toContain(`line 2 (C): ${english(cell.phrase!)}`);
    expect(r.err).toContain('line 2 (C): C value "0,4x" is not a plain decimal number');
  });
});
