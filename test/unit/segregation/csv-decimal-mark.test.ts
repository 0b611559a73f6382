import { afterAll, describe, expect, it } from 'vitest';
import { plainIssues } from '../../helpers/csv-issues.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { parseReadingsCsv } from '../../../core/segregation/readings-csv.js';
import { JominyCsvError, parseJominyCsv, previewJominyCsv } from '../../../core/jominy/index.js';

const labels = ['P01', 'P02', 'P03'];

describe('a CSV whose decimal mark cannot be told is refused, never guessed', () => {
  it('readings: ";" file with only "1,234"-like values → refused naming line, column, value and both readings', () => {
    const text = 'Point;C [ppm]\nP01;1,234\nP02;1,250\nP03;1,198\n';
    const r = parseReadingsCsv(text, { knownLabels: labels });
    expect(r.errors[0]).toMatchObject({ line: 2, message: 'column "C [ppm]": value "1,234" could be 1234 (thousands separator) or 1.234 (decimal mark), and no value in the file tells which: declare the file\'s decimal mark' });
    // read with the decimal comma each is also 1.2 ppm, below any steel's carbon: said too (task 24-D)
    expect(r.errors.slice(1).map((e) => [e.line, e.phrases?.[0]?.code])).toEqual([2, 3, 4].map((line) => [line, 'readingsCarbon.ppmTooSmall']));
    // the same with points: "1.234" in an Italian lab's export is 1234 ppm
    expect(parseReadingsCsv(text.replaceAll(',', '.'), { knownLabels: labels }).errors[0].message).toContain('"1.234" could be 1234');
  });

  it('readings: one value that cannot be a thousands group settles it; a declared mark settles it', () => {
    const settled = parseReadingsCsv('Point;C\nP01;0,452\nP02;1,250\nP03;0,448\n', { knownLabels: labels });
    expect(settled.errors).toMatchObject([]);
    expect(settled.rows.map((r) => r.carbonWtPct)).toEqual([0.452, 1.25, 0.448]);
    const declared = parseReadingsCsv('Point;C [ppm]\nP01;1.234\nP02;1.250\nP03;1.198\n', { knownLabels: labels, decimalMark: ',' });
    expect(declared.errors.map((e) => e.line)).toEqual([2, 3, 4]); // "1.234" is not a number with a decimal comma (no thousands separators)
    const declaredPoint = parseReadingsCsv('Point;C\nP01;1.234\nP02;1.250\nP03;1.198\n', { knownLabels: labels, decimalMark: '.' });
    expect(declaredPoint.errors).toMatchObject([]);
    expect(declaredPoint.rows.map((r) => r.value)).toEqual([1.234, 1.25, 1.198]);
    // a comma-separated file takes decimal points: "1.234" there is 1.234, as before
    expect(parseReadingsCsv('Point,C\nP01,1.234\nP02,1.250\nP03,1.198\n', { knownLabels: labels }).errors).toMatchObject([]);
  });

  it('Jominy: every chemistry and hardness value like "1,234" → refused with line and column; a declared mark imports', () => {
    const text = 'heat_id;C;Mn;J1.5;J3\nH1;1,100;1,250;52,000;50,000\n';
    const err = (() => { try { parseJominyCsv(text); } catch (e) { return e; } })() as JominyCsvError;
    expect(err).toBeInstanceOf(JominyCsvError);
    expect(plainIssues(err.issues)).toEqual([{ line: 2, column: 'C', message: 'value "1,100" could be 1100 (thousands separator) or 1.1 (decimal mark), and no value in the file tells which: declare the file\'s decimal mark' }]);
    const p = previewJominyCsv(text);
    expect(p.ok).toBe(false);
    expect(p.errors[0]).toMatchObject({ line: 2, column: 'C' });
    const declared = parseJominyCsv(text, { decimalMark: ',' });
    expect(declared.samples[0].chemistry.C).toBe(1.1);
    expect(declared.samples[0].hardness).toEqual([52, 50]);
  });

  it('Jominy preview: how each column will be read, before anything is stored', () => {
    const p = previewJominyCsv('heat_id;grade;C;Mn;J1.5;J3 HV\nH1;42CrMo4;0,40;0,80;55,0;520\nH2;42CrMo4;0,42;0,82;54,5;510\n');
    expect(p).toMatchObject({ ok: true, delimiter: ';', decimalMark: ',', distanceUnit: 'mm', heats: 2, errors: [] });
    expect(p.columns).toEqual([
      { header: 'heat_id', kind: 'heat' },
      { header: 'grade', kind: 'grade' },
      { header: 'C', kind: 'element', element: 'C', unit: 'wt.%' },
      { header: 'Mn', kind: 'element', element: 'Mn', unit: 'wt.%' },
      { header: 'J1.5', kind: 'hardness', distanceMm: 1.5, flat: null, unit: 'HRC' },
      { header: 'J3 HV', kind: 'hardness', distanceMm: 3, flat: null, unit: 'HV' },
    ]);
  });
});

describe('the CLI declares the decimal mark of a file that cannot tell', () => {
  const { dir, cleanup } = tempDir('ferrolab-decimal-mark-cli-');
  afterAll(cleanup);
  it('jominy datasets import: refused with line and column, then imported with --decimal-mark ,', async () => {
    const file = join(dir, 'eu.csv');
    writeFileSync(file, 'heat_id;C;Mn;J1.5;J3\nH1;1,100;1,250;52,000;50,000\n');
    const refused = await runCli(join(dir, 'data'), 'jominy', 'datasets', 'import', file);
    expect(refused.rc).toBe(1);
    expect(refused.err).toContain('line 2 (C): value "1,100" could be 1100 (thousands separator) or 1.1 (decimal mark)');
    const bad = await runCli(join(dir, 'data'), 'jominy', 'datasets', 'import', file, '--decimal-mark', ';');
    expect(bad.rc).toBe(2);
    const ok = await runCli(join(dir, 'data'), 'jominy', 'datasets', 'import', file, '--decimal-mark', ',', '--json');
    expect(ok.rc).toBe(0);
    expect(JSON.parse(ok.out).sampleCount).toBe(1);
  });
});
