import { describe, expect, it } from 'vitest';
import { UsageError, intOption, numberOption, strictInteger, strictNumber } from '../../../core/cli/command.js';
import { parseBandFile } from '../../../core/cli/commands/jominy.js';

/** CLI flags and arguments go through the one strict parser: what Number() read as 55, 0 or 37 is a usage error. */
describe('CLI numbers are read strictly', () => {
  it('intOption refuses hex, binary, fractions, exponents and empty text', () => {
    expect(intOption({ n: '37' }, 'n')).toBe(37);
    expect(intOption({}, 'n', 5)).toBe(5);
    for (const bad of ['0x25', '0b1', '37.0', '3.7e1', '', ' ', '1_000', '9007199254740993']) {
      expect(() => intOption({ n: bad }, 'n'), bad).toThrow(UsageError);
      expect(() => intOption({ n: bad }, 'n'), bad).toThrow(`--n must be an integer, got "${bad}"`);
    }
  });

  it('numberOption refuses 0x37, 0., .5, 1e-400, 4.9e-324, Infinity and decimal commas', () => {
    expect(numberOption({ m: '2.5' }, 'm')).toBe(2.5);
    expect(numberOption({ m: '-1e-3' }, 'm')).toBe(-0.001);
    expect(() => numberOption({ m: '1e-400' }, 'm')).toThrow('--m must be a number, got "1e-400" (is too small to represent (it would read as 0))');
    for (const bad of ['0x37', '0.', '.5', '4.9e-324', 'Infinity', '1e999', '2,5', '']) expect(() => numberOption({ m: bad }, 'm'), bad).toThrow(UsageError);
    expect(() => strictNumber('0b0', 'VALUE')).toThrow('VALUE: "0b0" is not a plain decimal number');
    expect(() => strictInteger('1e3', 'BILLET')).toThrow('BILLET: "1e3" is not a whole number');
  });

  it('band files name the line of a number Number() would have misread', () => {
    expect(parseBandFile('distance_mm,min,max\n1.5,40,48\n9,30,\n')).toMatchObject({ min: [40, null, null, null, 30, null, null, null, null, null, null, null, null, null, null] });
    expect(() => parseBandFile('1.5,0x28,48\n')).toThrow('band file line 1, min: "0x28" is not a plain decimal number');
    expect(() => parseBandFile('1.5,40,1e-400\n')).toThrow('band file line 1, max: "1e-400" is too small to represent (it would read as 0)');
    expect(() => parseBandFile('0x9,40,48\n')).toThrow('band file line 1, distance: "0x9" is not a plain decimal number');
  });

  it('a band line with more fields than distance, min, max is refused naming them, not read in part (task 24-D)', () => {
    // "3;50;58,5" (a decimal comma in a ";" file) split into 3, 50, 58 and 5: the band's max stored as 58, the "5"
    // dropped without a word; a trailing value in a fourth column was dropped the same way
    const semicolon = 'mm;min;max\n3;50;58,5\n5;48;57,5\n';
    expect(() => parseBandFile(semicolon)).toThrow('band file line 2: "3;50;58,5" has 4 fields where a band line has 3 (distance, min, max): "5" has no column — a decimal comma splits a number in two: write decimal points');
    expect(() => parseBandFile('mm,min,max\n3,50,58,61\n')).toThrow('band file line 2: "3,50,58,61" has 4 fields where a band line has 3 (distance, min, max): "61" has no column');
    // an empty trailing field a spreadsheet leaves is no value, and the usual forms still read
    expect(parseBandFile('mm,min,max\n3,50,58,\n5,48,\n')).toMatchObject({ kind: 'band', min: [null, 50, 48, ...Array(12).fill(null)], max: [null, 58, ...Array(13).fill(null)] });
  });

  it('a band file of whole-number distances with no header saying mm is refused: they could be sixteenths (SAE J1268 H-bands) (task 24-D)', () => {
    // J5, J9, J15 of an H-band (7.94, 14.29, 23.81 mm) were read as the standard 5, 9 and 15 mm without a word
    const said = 'band file: the distances 5, 9, 15 are whole numbers and no header line says mm: they could be sixteenths of an inch (an H-band\'s J5 is 7.94 mm) or mm; band files are in mm — start the file with the line "distance_mm,min,max"';
    expect(() => parseBandFile('5,48,58\n9,40,50\n15,30,40\n')).toThrow(said);
    expect(() => parseBandFile('J,min,max\n5,48,58\n9,40,50\n15,30,40\n')).toThrow(said);
    // a header that says mm, or a distance no sixteenth can be (1.5), settles it
    expect(parseBandFile('Distance (mm);min;max\n5;48;58\n').kind).toBe('band');
    expect(parseBandFile('1.5,50,60\n5,48,58\n').kind).toBe('band');
    // the dataset importer's declaration settles it too (it had been skipped as a comment); another unit is no band file
    expect(parseBandFile('# distance-unit: mm\n5,48,58\n9,40,50\n')).toMatchObject({ min: [null, null, 48, null, 40, ...Array(10).fill(null)] });
    expect(() => parseBandFile('# distance-unit: sixteenths\ndistance_mm,min,max\n5,48,58\n')).toThrow('band file line 1: "# distance-unit: sixteenths": band files are in mm (distance_mm,min,max); write the distances in mm');
  });

  it('a distance given on two lines of a band file is refused naming both lines: the last had silently won', () => {
    // 1.5,52,59 then 1.5,50,57: the design ran with 50–57 at 1.5 mm, the 52–59 line dropped without a word
    const dup = 'distance_mm,min,max\n1.5,52,59\n1.5,50,57\n20,30,41\n';
    expect(() => parseBandFile(dup)).toThrow('band file lines 2 and 3 both give 1.5 mm ("1.5,52,59" and "1.5,50,57"): a distance has one band line; delete the one that is wrong');
    // the same distance however written (20 and 20.0), and a line of the distance with one bound empty
    expect(() => parseBandFile('distance_mm,min,max\n20,30,41\n1.5,52,59\n20.0,,40\n')).toThrow('band file lines 2 and 4 both give 20 mm ("20,30,41" and "20.0,,40")');
    expect(parseBandFile('distance_mm,min,max\n1.5,52,59\n20,30,41\n')).toMatchObject({ min: [52, ...Array(7).fill(null), 30, ...Array(6).fill(null)], max: [59, ...Array(7).fill(null), 41, ...Array(6).fill(null)] });
  });
});
