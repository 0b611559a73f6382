import { describe, expect, it } from 'vitest';
import { refusedIssues } from '../../helpers/csv-issues.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJominyCsv, type CsvIssue } from '../../../core/jominy/csv.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { cliInTempFolder } from '../../helpers/cli.js';

const { dir, cli } = cliInTempFolder('ferrolab-jominy-hrc-scale-');

const refused = (text: string): CsvIssue[] => refusedIssues(text);

const below = (value: string, label: string) =>
  `hardness ${value} at ${label} is below 20 HRC, where the Rockwell C scale ends (ASTM E18): it is no HRC reading, and a reading in HV does not help, as ASTM E140 converts to HRC only from 238 HV = 20 HRC. Import with --below-scale empty (in the dialog: "Readings below 20 HRC: leave empty"): such cells are left empty and the heats counted per distance, so the data there is flagged biased high where they matter. Blanking the cell by hand would leave the softest heats out uncounted. "<20" is refused the same way: a bound is not a value`;

// The Rockwell C scale is valid from 20 HRC: a "15" in an HRC column had been imported as 15 HRC (audit 25). Fails
// before: the file below imported, heat H2 with 15 HRC at J25.
describe('Jominy CSV: a number below 20 in an HRC column is refused, naming line, column and value', () => {
  const file = '# distance-unit: mm\nheat_id,grade,C,Mn,J1.5,J5,J25\nH1,G,0.40,0.80,55,45,28\nH2,G,0.20,0.70,44,30,15\nH3,G,0.21,0.70,45,31,19.9\n';

  it('refuses each such cell and stores nothing; 20.0 and an HV reading are kept; "<20" is a bound, refused as before', async () => {
    expect(refused(file)).toEqual([
      { line: 4, column: 'J25', message: below('15', 'J25'), phrase: expect.objectContaining({ code: 'jominyCsv.hrcBelowScale' }) },
      { line: 5, column: 'J25', message: below('19.9', 'J25'), phrase: expect.objectContaining({ code: 'jominyCsv.hrcBelowScale' }) },
    ]);
    expect(reportPhraser('it')(refused(file)[0].phrase!)).toMatch(/^la durezza 15 a J25 è sotto 20 HRC, dove finisce la scala Rockwell C \(ASTM E18\)/);
    const ok = parseJominyCsv(file.replace(',15\n', ',20.0\n').replace(',19.9\n', ',\n'));
    expect(ok.samples.map((s) => s.hardness[2])).toEqual([28, 20, Number.NaN]);
    // the soft end in HV (E140: 238 HV = 20 HRC) is converted
    const hv = parseJominyCsv('# distance-unit: mm\nheat_id,C,J1.5,J5,J25 HV\nH1,0.4,55,45,250\n');
    expect(hv.samples[0].hardness[2]).toBeGreaterThan(20);
    expect(refused('# distance-unit: mm\nheat_id,C,J1.5,J5,J25\nH1,0.4,55,45,<20\n')[0].message).toMatch(/^hardness "<20" at J25/);
    const csv = join(dir, 'soft.csv');
    writeFileSync(csv, file);
    const r = await cli('jominy', 'datasets', 'import', csv);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(`line 4 (J25): ${below('15', 'J25')}`);
    expect(JSON.parse((await cli('jominy', 'datasets', 'list', '--json')).out)).toEqual([]);
  });

  it("a file marked synthetic keeps the generator's values below 20 (model values, not readings; the dataset is SYNTHETIC)", () => {
    const p = parseJominyCsv(`# synthetic: test curves\n${file}`);
    expect(p.samples.map((s) => s.hardness[2])).toEqual([28, 15, 19.9]);
  });
});
