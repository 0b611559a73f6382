import { afterAll, describe, expect, it } from 'vitest';
import { plainIssues } from '../../helpers/csv-issues.js';
import { join } from 'node:path';
import { tempContext, tempDir } from '../../helpers/temp.js';
import { runCli } from '../../helpers/cli.js';
import { localClient } from '../../../core/app/dispatch.js';
import { parseJominyCsv, JominyCsvError } from '../../../core/jominy/csv.js';
import { DISTANCES_MM, ELEMENTS, ELEMENT_LIMITS } from '../../../core/jominy/elements.js';
import * as chemistryApi from '../../../core/api/jominy-chemistry.js';
import { parseChemistryRanges, parseChemistryText, parseElementNumbers } from '../../../core/api/jominy-chemistry.js';

const ctx = tempContext();
const api = localClient(ctx);
const { dir, cleanup } = tempDir('ferrolab-jominy-chem-');
afterAll(async () => {
  await ctx.dispose();
  cleanup();
});

const header = ['heat_id', ...ELEMENTS, ...DISTANCES_MM.map((d) => `J${d}`)].join(',');
const csvRow = (mn: string) => ['H1', 0.42, mn, 0.25, 0.012, 0.02, 0.15, 1.05, 0.1, 0.2, 0.0002, 0.002, 0.001, 0.01, 0.025, 0.005, 58, 57, 52, 45, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 21].join(',');
function csvIssues(text: string) {
  try {
    parseJominyCsv(text);
  } catch (e) {
    if (e instanceof JominyCsvError) return plainIssues(e.issues);
    throw e;
  }
  return [];
}
const curve = Array(15).fill(40);

describe('one table of element limits for CSV, API, CLI and UI', () => {
  it('is one object, and the API hands it to the UI', async () => {
    expect(chemistryApi.ELEMENT_LIMITS).toBe(ELEMENT_LIMITS);
    expect(Object.isFrozen(ELEMENT_LIMITS)).toBe(true);
    expect((await api['jominy.meta']({})).elementLimits).toEqual(ELEMENT_LIMITS);
  });

  // Mn 2.51 is just over the 2.5 wt.% limit; the old API allowed up to 10 wt.% of anything.
  const WORDS = 'Mn 2.51 wt.% is above the limit of 2.5 wt.%';

  it('refuses a value just over the limit in the same words: CSV importer', async () => {
    expect(csvIssues(`${header}\n${csvRow('2.51')}\n`)).toEqual([{ line: 2, column: 'Mn', message: WORDS }]);
    expect(csvIssues(`${header}\n${csvRow('2.5')}\n`)).toEqual([]);
    const uploadId = ctx.uploads.saveBytes(Buffer.from(`${header}\n${csvRow('2.51')}\n`));
    await expect(api['jominy.datasets.import']({ upload: { uploadId, name: 'mn.csv' } })).rejects.toMatchObject({ details: [{ line: 2, column: 'Mn', message: WORDS }] });
  });

  it('… the API contract: predict, reference, design ranges and fixed values', async () => {
    await expect(api['jominy.predict']({ modelId: 1, chemistry: { Mn: 2.51 } })).rejects.toMatchObject({ code: 'invalid_argument', field: 'chemistry.Mn', message: `jominy.predict: field "chemistry.Mn": ${WORDS}` });
    await expect(api['jominy.reference']({ chemistry: { Mn: 2.51 } })).rejects.toMatchObject({ message: `jominy.reference: field "chemistry.Mn": ${WORDS}` });
    const design = (settings: object) => api['jominy.design']({ modelId: 1, target: { kind: 'curve', hardness: curve }, settings });
    await expect(design({ ranges: { Mn: [0.5, 2.51] } })).rejects.toMatchObject({ field: 'settings.ranges.Mn.1', message: `jominy.design: field "settings.ranges.Mn.1": ${WORDS}` });
    await expect(design({ fixed: { Mn: 2.51 } })).rejects.toMatchObject({ field: 'settings.fixed.Mn', message: `jominy.design: field "settings.fixed.Mn": ${WORDS}` });
    await expect(design({ ranges: { Mn: [-0.1, 1] } })).rejects.toMatchObject({ message: expect.stringContaining('Mn -0.1 is negative (the limits are 0–2.5 wt.%)') });
    await expect(api['jominy.predict']({ modelId: 1, chemistry: { Xx: 1 } as never })).rejects.toMatchObject({ message: expect.stringContaining('unknown element "Xx"') });
  });

  it('… the CLI flags --chem, --fix and --range', async () => {
    const data = join(dir, 'data');
    const chem = await runCli(data, 'jominy', 'predict', '--model', '1', '--chem', 'C=0.4,Mn=2.51');
    expect(chem.rc).toBe(2);
    expect(chem.err).toContain(`--chem: ${WORDS}`);
    const target = curve.join(',');
    const fix = await runCli(data, 'jominy', 'design', '--model', '1', '--target', target, '--fix', 'Mn=2.51');
    expect(fix.rc).toBe(2);
    expect(fix.err).toContain(`--fix: ${WORDS}`);
    const range = await runCli(data, 'jominy', 'design', '--model', '1', '--target', target, '--range', 'Mn=0.5:2.51');
    expect(range.rc).toBe(2);
    expect(range.err).toContain(`--range: ${WORDS}`);
  });

  it('… and the UI reader (the same function the CLI uses)', () => {
    expect(parseChemistryText('C=0.4,Mn=2.51')).toMatchObject({ ok: false, errors: [WORDS] });
    expect(parseChemistryText('C=0.4,Mn=2.5')).toEqual({ ok: true, value: { C: 0.4, Mn: 2.5 } });
  });
});

describe('the chemistry reader shared by the CLI and the UI', () => {
  it('refuses a repeated element, naming it (it used to keep the last value)', () => {
    expect(parseChemistryText('C=0.40,Mn=0.8,C=0.45')).toMatchObject({ ok: false, errors: ['C is given twice ("C=0.40" and "C=0.45")'] });
  });

  it('refuses unknown elements, malformed entries and numbers that are not plain decimals', () => {
    expect(parseChemistryText('C=0.4,Xy=1')).toMatchObject({ ok: false, errors: [`unknown element "Xy" (elements: ${ELEMENTS.join(', ')})`] });
    expect(parseChemistryText('cr=1')).toMatchObject({ ok: false, errors: ['unknown element "cr" (did you mean Cr?)'] });
    expect(parseChemistryText('C=0x37')).toMatchObject({ ok: false, errors: ['C: value "0x37" is not a plain decimal number'] });
    expect(parseChemistryText('B=1e-400')).toMatchObject({ ok: false, errors: ['B: value "1e-400" is too small to represent (it would read as 0)'] });
    expect(parseChemistryText('C=0.')).toMatchObject({ ok: false, errors: ['C: value "0." is not a plain decimal number'] });
    expect(parseChemistryText('C=')).toMatchObject({ ok: false, errors: ['C: value "" is empty'] });
    expect(parseChemistryText('C=0.4,,Mn=1')).toMatchObject({ ok: false, errors: ['entry 2 is empty (write El=value, e.g. C=0.40,Mn=0.80)'] });
    expect(parseChemistryText('C 0.4')).toMatchObject({ ok: false, errors: ['cannot read "C 0.4" (write El=value, e.g. C=0.40,Mn=0.80)'] });
    expect(parseChemistryText('  ')).toMatchObject({ ok: false, errors: ['no elements given (write El=value, e.g. C=0.40,Mn=0.80)'] });
    expect(parseChemistryText(' C = 0.40 , B=0.0025 ')).toEqual({ ok: true, value: { C: 0.4, B: 0.0025 } });
  });

  it('reads ranges inside the limits and plain numbers (costs) without them', () => {
    expect(parseChemistryRanges('Cr=0.8:1.2,Mo=0:0.3')).toEqual({ ok: true, value: { Cr: [0.8, 1.2], Mo: [0, 0.3] } });
    expect(parseChemistryRanges('Cr=1.2:0.8')).toMatchObject({ ok: false, errors: ['Cr: min 1.2 is above max 0.8'] });
    expect(parseChemistryRanges('Cr=1.2')).toMatchObject({ ok: false, errors: ['Cr: cannot read "1.2" as min:max (e.g. Cr=0:4)'] });
    expect(parseChemistryRanges('C=0.1:1.3')).toMatchObject({ ok: false, errors: ['C 1.3 wt.% is above the limit of 1.2 wt.%'] });
    expect(parseElementNumbers('Cr=12,Mo=30')).toEqual({ ok: true, value: { Cr: 12, Mo: 30 } });
    expect(parseElementNumbers('Cr=1,Cr=2')).toMatchObject({ ok: false, errors: ['Cr is given twice ("Cr=1" and "Cr=2")'] });
  });

  it('suggests ppm only where the value is plausibly ppm', () => {
    expect(chemistryApi.elementValueProblem('B', 25)).toBe('B 25 wt.% is above the limit of 0.01 wt.% — looks like ppm; give wt.% (25 ppm = 0.0025 wt.%)');
    expect(chemistryApi.elementValueProblem('C', 5)).toBe('C 5 wt.% is above the limit of 1.2 wt.%');
    expect(chemistryApi.elementValueProblem('C', 1.2)).toBeNull();
    expect(chemistryApi.elementValueProblem('C', 0)).toBeNull();
  });
});
