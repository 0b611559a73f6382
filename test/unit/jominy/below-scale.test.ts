import { describe, expect, it } from 'vitest';
import { refusedIssues } from '../../helpers/csv-issues.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJominyCsv, writeJominyCsv } from '../../../core/jominy/csv.js';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { BIASED_HIGH_SHARE, MIN_GRADE_LEFT_OUT, belowScalePoints, biasedHighAtStandard, heatsBelowScale } from '../../../core/jominy/below-scale.js';
import { DISTANCES_MM } from '../../../core/jominy/elements.js';
import { cliInTempFolder } from '../../helpers/cli.js';
import { createAppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';

const { dir, data, cli } = cliInTempFolder('ferrolab-jominy-below-scale-');

/** A design session's CSV export, as the page downloads it (no CLI command exports a session). */
async function sessionCsv(id: number): Promise<string> {
  const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
  try {
    return (await localClient(ctx)['jominy.sessions.export']({ id, format: 'csv' })).content;
  } finally {
    await ctx.close();
  }
}


// Task 26-A: a plant whose shallow-hardening grades read 15–19 "HRC" at the far end could only blank those cells by
// hand. Fails before: the option did not exist (the file was refused whatever the caller asked), and nothing counted.
describe('Jominy CSV --below-scale empty: each HRC cell below 20 left empty, warned per cell, counted per distance', () => {
  const file = [
    '# distance-unit: mm',
    'heat_id,grade,C,Mn,J1.5,J5,J25,J30',
    'H1,G,0.40,0.80,55,45,28,25',
    'H2,G,0.20,0.70,44,30,15,',
    'H3,G,0.21,0.70,45,31,19.9,18',
    'H4,G,0.22,0.70,46,32,21,<20',
    'H5,G,0.23,0.70,46,33,22,21',
  ].join('\n') + '\n';

  it('blanks exactly the cells below 20 (and a "<20" bound), keeps every other value, names line, column and value', () => {
    const p = parseJominyCsv(file, { belowScale: 'empty' });
    const hardness = p.samples.map((s) => s.hardness.map((h) => (Number.isFinite(h) ? h : null)));
    expect(hardness).toEqual([
      [55, 45, 28, 25],
      [44, 30, null, null],
      [45, 31, null, null],
      [46, 32, 21, null],
      [46, 33, 22, 21],
    ]);
    expect(p.warnings.map((w) => [w.line, w.column, w.phrase?.code, w.message])).toEqual([
      [4, 'J25', 'jominyCsv.hrcBelowScaleLeftOut', 'hardness 15 at J25 is below 20 HRC, where the Rockwell C scale ends: left empty (not measured) and counted, as the import was asked'],
      [5, 'J25', 'jominyCsv.hrcBelowScaleLeftOut', 'hardness 19.9 at J25 is below 20 HRC, where the Rockwell C scale ends: left empty (not measured) and counted, as the import was asked'],
      [5, 'J30', 'jominyCsv.hrcBelowScaleLeftOut', 'hardness 18 at J30 is below 20 HRC, where the Rockwell C scale ends: left empty (not measured) and counted, as the import was asked'],
      [6, 'J30', 'jominyCsv.hrcBoundLeftOut', '"<20" at J30 is a bound below 20 HRC, where the Rockwell C scale ends (a censored reading, never a value): left empty (not measured) and counted, as the import was asked'],
    ]);
    // heats per distance left out there: J25 H2 and H3, J30 H3 and H4 — and H2, whose bar stops after 15 at J25: a
    // Jominy curve does not rise along the bar, so it is below the scale at J30 too (task 26-K; before: not counted)
    expect(p.belowScaleLeftOut).toEqual([0, 0, 2, 3]);
  });

  it('without the option the same file is refused, each cell named as before; a bound above 20 stays refused with it', () => {
    const issues = refusedIssues(file);
    expect(issues.map((i) => [i.line, i.column, i.phrase?.code])).toEqual([
      [4, 'J25', 'jominyCsv.hrcBelowScale'],
      [5, 'J25', 'jominyCsv.hrcBelowScale'],
      [5, 'J30', 'jominyCsv.hrcBelowScale'],
      [6, 'J30', 'jominyCsv.hardness.detectionLimit'],
    ]);
    expect(refusedIssues(file.replace('<20', '<25'), { belowScale: 'empty' }).map((i) => [i.line, i.column, i.phrase?.code])).toEqual([[6, 'J30', 'jominyCsv.hardness.detectionLimit']]);
    // below the HRC sanity floor (5) a number is no soft reading but a typo: refused with the option too
    expect(refusedIssues(file.replace(',15,', ',3,'), { belowScale: 'empty' }).map((i) => [i.line, i.column, i.phrase?.code])).toEqual([[4, 'J25', 'jominyCsv.hrcOutside']]);
  });

  it('a flat below 20 leaves the distance empty for that heat (the other flat alone would be biased high); a retest of that heat measuring it is left empty there too, the heat counted', () => {
    const flats = '# distance-unit: mm\nheat_id,C,J1.5a,J1.5b,J30a,J30b\nH1,0.4,55,54,21,19\nH2,0.4,50,51,24,23\nH2,0.4,50,52,19.5,\nH3,0.3,48,47,22,22\n';
    const p = parseJominyCsv(flats, { belowScale: 'empty' });
    // Task 26-G: H2's retest read 19.5 where its first bar read 23.5 — keeping 23.5 alone is the bias one flat alone
    // carries: 30 mm is left empty on both of H2's rows and H2 counted (fails before: 23.5 kept, H2 not counted).
    expect(p.samples.map((s) => s.hardness[1])).toEqual([Number.NaN, Number.NaN, Number.NaN, 22]);
    expect(p.samples.map((s) => s.hardness[0])).toEqual([54.5, 50.5, 51, 47.5]);
    expect(p.samples[0].measured?.front[1]).toBeNull();
    expect(p.samples[0].measured?.back?.[1]).toBeNull();
    expect([p.samples[1].measured?.front[1], p.samples[1].measured?.back?.[1]]).toEqual([null, null]);
    expect(p.warnings.filter((w) => w.phrase?.code === 'jominyCsv.hrcBelowScaleLeftOut').map((w) => [w.line, w.column])).toEqual([[3, 'J30b'], [5, 'J30a']]);
    expect(p.warnings.filter((w) => w.phrase?.code === 'jominyCsv.retestLeftOut').map((w) => [w.line, w.column, w.message])).toEqual([
      [4, 'J30', '24 / 23 HRC at J30 left empty (not measured): another bar of this heat (line 5) read below 20 HRC there, and this bar alone would bias the heat high, as one flat alone would — the heat is counted as left out there'],
    ]);
    expect(p.belowScaleLeftOut).toEqual([0, 2]);
    // the same without heat ids: a row with the grade and chemistry of another is taken as its retest (heat-split.ts
    // heatKeys) and counted with it, but two heats made to one aim analysis share that key: a row without an id neither
    // blanks another row's reading nor has its own blanked (task 26-K; fails before: 23.5 was blanked by the other's 19)
    const noIds = '# distance-unit: mm\ngrade,C,Mn,J1.5,J30\nG,0.4,0.7,50,23.5\nG,0.4,0.7,51,19\nG,0.3,0.7,48,22\n';
    const q = parseJominyCsv(noIds, { belowScale: 'empty' });
    expect(q.samples.map((s) => s.hardness[1])).toEqual([23.5, Number.NaN, 22]);
    expect(q.warnings.filter((w) => w.phrase?.code === 'jominyCsv.retestLeftOut')).toEqual([]);
    expect(q.belowScaleLeftOut).toEqual([0, 1]);
    // an id row's soft bar does not blank a row without an id that joined its heat by chemistry either
    const mixed = parseJominyCsv('# distance-unit: mm\nheat_id,grade,C,Mn,J1.5,J30\nH1,G,0.4,0.7,50,19\n,G,0.4,0.7,51,23.5\nH3,G,0.3,0.7,48,22\n', { belowScale: 'empty' });
    expect(mixed.samples.map((s) => s.hardness[1])).toEqual([Number.NaN, 23.5, 22]);
    expect(mixed.belowScaleLeftOut).toEqual([0, 1]);
    // a retest that read only there holds nothing once left empty: not stored, said on its line
    const only = parseJominyCsv('# distance-unit: mm\nheat_id,C,J1.5,J30\nH1,0.4,50,19\nH1,0.4,,23\nH2,0.3,48,22\n', { belowScale: 'empty' });
    expect(only.samples.map((s) => [s.lineNo, s.hardness])).toEqual([[3, [50, Number.NaN]], [5, [48, 22]]]);
    expect(only.belowScaleLeftOut).toEqual([0, 1]);
    expect(only.warnings.filter((w) => w.line === 4).map((w) => w.phrase?.code)).toEqual(['jominyCsv.heatTwice', 'jominyCsv.retestLeftOut', 'jominyCsv.retestRowEmpty']);
  });

  it('the rule: biased high from 3.5 % of the heats tested at a distance; the standard distances a flagged point reaches', () => {
    expect(BIASED_HIGH_SHARE).toBe(0.035);
    const pts = belowScalePoints([20, 25, 30], [100, 96, 90], [0, 3, 4]);
    expect(pts.map((p) => [p.distanceMm, p.leftOut, p.tested, +p.share.toFixed(4), p.biasedHigh])).toEqual([[25, 3, 99, 0.0303, false], [30, 4, 94, 0.0426, true]]);
    expect(belowScalePoints([20, 25], [10, 10], null)).toEqual([]);
    // 15 standard points, 45 flagged: 45 itself only (40 and 50 are points of their own)
    expect(biasedHighAtStandard([...DISTANCES_MM], [45])).toEqual(DISTANCES_MM.map((d) => d === 45));
    // points 20, 30, 50 with 30 flagged: 25 and 35–45 lie between 30 and a neighbour, 50 is a point of its own
    expect(biasedHighAtStandard([20, 30, 50], [30])).toEqual(DISTANCES_MM.map((d) => d > 20 && d < 50));
  });
});

// Task 26-G review fixes: each of these failed before (see the comments).
describe('below-scale readings are counted however they are written: missing tokens, HV, bound spellings', () => {
  const file = (cell: string, head = '# distance-unit: mm') => `${head}\nheat_id,C,J1.5,J30\nH1,0.4,55,25\nH2,0.3,48,${cell}\n`;
  const codes = (issues: { line: number; column?: string; phrase?: { code: string } }[]) => issues.map((i) => [i.line, i.column, i.phrase?.code]);

  it('a declared missing token "<20" in an HRC column is refused naming the option; with the option on it is left out and counted', () => {
    // fails before: `# missing: <20` blanked the reading as missing and the dataset said 0 left out
    const issues = refusedIssues(file('<20', '# distance-unit: mm\n# missing: <20'));
    expect(codes(issues)).toEqual([[5, 'J30', 'jominyCsv.missingBoundBelowScale']]);
    expect(issues[0].message).toContain('--below-scale empty');
    expect(codes(refusedIssues(file('<20'), { missing: ['<20'] }))).toEqual([[4, 'J30', 'jominyCsv.missingBoundBelowScale']]);
    const p = parseJominyCsv(file('<20', '# distance-unit: mm\n# missing: <20'), { belowScale: 'empty' });
    expect(p.samples[1].hardness[1]).toBeNaN();
    expect(p.belowScaleLeftOut).toEqual([0, 1]);
    expect(codes(p.warnings)).toEqual([[5, 'J30', 'jominyCsv.hrcBoundLeftOut']]);
    // a token that is no bound below the scale stays a missing token
    expect(parseJominyCsv(file('NA', '# distance-unit: mm\n# missing: NA')).belowScaleLeftOut).toEqual([0, 0]);
  });

  it('HV below 238 (= 20 HRC by E140) is left out and counted with the option on: an HV column, a file scale, a scale=HV row, a "<238" bound', () => {
    // fails before: each was refused as outside E140 (or a detection limit) with the option on
    const hvCol = '# distance-unit: mm\nheat_id,C,J1.5 HV,J50 HV\nH1,0.4,600,250\nH2,0.3,560,220\nH3,0.3,570,<238\n';
    const a = parseJominyCsv(hvCol, { belowScale: 'empty' });
    expect(a.samples.map((s) => s.hardness[1])).toEqual([22.33, Number.NaN, Number.NaN]);
    expect(a.belowScaleLeftOut).toEqual([0, 2]);
    expect(a.warnings.map((w) => [w.line, w.column, w.message])).toEqual([
      [4, 'J50 HV', 'hardness 220 HV at J50 is below 238 HV (= 20 HRC by ASTM E140), where the Rockwell C scale ends: left empty (not measured) and counted, as the import was asked'],
      [5, 'J50 HV', '"<238" at J50 is a bound below 238 HV (= 20 HRC by ASTM E140), where the Rockwell C scale ends (a censored reading, never a value): left empty (not measured) and counted, as the import was asked'],
    ]);
    // with the option off the 220 HV names the option (task 26-K; before: "outside E140", which said nothing of it)
    const off = refusedIssues(hvCol);
    expect(codes(off)).toEqual([[4, 'J50 HV', 'jominyCsv.hvBelowScale'], [5, 'J50 HV', 'jominyCsv.hardness.detectionLimit']]);
    expect(off[0].message).toBe('hardness 220 HV at J50 is below 238 HV (= 20 HRC by ASTM E140), where the Rockwell C scale ends: it cannot be converted to HRC. Import with --below-scale empty (in the dialog: "Readings below 20 HRC: leave empty") to leave it empty and count the heat as left out there; blanking it by hand would leave the softest heats out uncounted');
    const fileScale = parseJominyCsv('# distance-unit: mm\n# hardness-scale: HV\nheat_id,C,J1.5,J50\nH1,0.4,600,250\nH2,0.3,560,220\n', { belowScale: 'empty' });
    expect(fileScale.belowScaleLeftOut).toEqual([0, 1]);
    const rowScale = parseJominyCsv('# distance-unit: mm\nheat_id,C,scale,J1.5,J50\nH1,0.4,HRC,55,22\nH2,0.3,HV,560,220\n', { belowScale: 'empty' });
    expect(rowScale.samples[1].hardness[1]).toBeNaN();
    expect(rowScale.belowScaleLeftOut).toEqual([0, 1]);
    // under the soft floor (100 HV) an HV cell is a typo or an HRC number, refused with the option too; a 240 HV stays a reading
    expect(codes(refusedIssues(hvCol.replace(',220', ',19'), { belowScale: 'empty' }))).toEqual([[4, 'J50 HV', 'jominyCsv.hvOutside']]);
  });

  it('"≤20", "<=20", "<20 HRC", "< 20" are the same bound; "<0", "<-5" are refused (no Rockwell bound); "<20 HV" in an HRC column is refused', () => {
    for (const cell of ['≤20', '<=20', '<20 HRC', '< 20', '<19.5', '<= 18 hrc']) {
      const p = parseJominyCsv(file(cell), { belowScale: 'empty' });
      expect([cell, p.belowScaleLeftOut, p.warnings.map((w) => w.phrase?.code)]).toEqual([cell, [0, 1], ['jominyCsv.hrcBoundLeftOut']]);
    }
    // fails before: "≤20", "<=20" and "<20 HRC" were refused with the option on
    for (const cell of ['<0', '<-5']) expect(codes(refusedIssues(file(cell), { belowScale: 'empty' }))).toEqual([[4, 'J30', 'jominyCsv.boundNotOnScale']]);
    expect(refusedIssues(file('<0'), { belowScale: 'empty' })[0].message).toBe('"<0" at J30 is no bound of a reading on the HRC scale: at or below 5 HRC no steel bar reads (a typo or another scale)');
    expect(codes(refusedIssues(file('<20 HV'), { belowScale: 'empty' }))).toEqual([[4, 'J30', 'jominyCsv.hardness.detectionLimit']]);
    // without the option every spelling is refused as before
    for (const cell of ['≤20', '<=20', '<20 HRC']) expect(codes(refusedIssues(file(cell)))).toEqual([[4, 'J30', 'jominyCsv.hardness.detectionLimit']]);
  });
});

describe('stored with the dataset, shown with its heats per distance, and flagged in training, the model and predictions', () => {
  // 120 synthetic heats, every reading lifted to ≥ 21 HRC; then 11 heats read below 20 at J50 (one written "<20") and
  // one of them at J45 too: 50 mm has 11 of 120 heats left out (9.2 %: biased high), 45 mm 1 of 120 (0.8 %: not).
  const samples = generateSynthetic({ n: 120, seed: 26 }).map((s) => ({ ...s, hardness: s.hardness.map((h) => Math.max(h, 21)) }));
  for (let k = 0; k < 11; k++) samples[k].hardness[14] = 18.5;
  samples[10].hardness[13] = 19.5;
  samples[10].hardness[14] = 19;
  const lines = writeJominyCsv(samples).split('\n');
  // line 1 the unit, line 2 the header: heat k is line k + 3; its last cell (J50) written as a bound for heat 0
  lines[2] = lines[2].replace(/,18\.5$/, ',<20');
  const text = lines.join('\n');

  it('import with --below-scale empty stores the counts; datasets show says them per distance (text and JSON); training, models show and predict flag 50 mm only', async () => {
    const csv = join(dir, 'soft-end.csv');
    writeFileSync(csv, text);
    const refused = await cli('jominy', 'datasets', 'import', csv);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('line 3 (J50): hardness "<20" at J50');
    expect(JSON.parse((await cli('jominy', 'datasets', 'list', '--json')).out)).toEqual([]);

    const said = (await cli('jominy', 'datasets', 'import', csv, '--below-scale', 'empty', '--name', 'said')).out;
    expect(said).toContain('J45: 1 heats read below 20 HRC here, left out\nJ50: 11 heats read below 20 HRC here, left out\nWARNING: at 50 mm the network and its baselines are biased high');
    // each grade with 2 or more of its heats left out at 50 mm is named, small as it is (task 26-K: 2–3 of 24–27 heats)
    const grades50 = 'synthetic 20MnCr5-type: 3/27 (11.1 %); synthetic 42CrMo4-type: 2/27 (7.4 %); synthetic 8620/4340-type: 2/27 (7.4 %); synthetic C45-type: 3/24 (12.5 %)';
    expect(said).toContain('  line 3 (J50): "<20" at J50 is a bound below 20 HRC');
    const imp = await cli('jominy', 'datasets', 'import', csv, '--below-scale', 'empty', '--json');
    expect(imp.code).toBe(0);
    const ds = JSON.parse(imp.out);
    // per grade too: the 11 heats' own grades
    const byGrade: Record<string, number[]> = {};
    for (let k = 0; k < 11; k++) (byGrade[samples[k].grade!] ??= Array(15).fill(0))[14]++;
    byGrade[samples[10].grade!][13] = 1;
    expect(ds.belowScale).toEqual({ option: 'empty', heatsLeftOut: [...Array(13).fill(0), 1, 11], byGrade });
    expect(ds.warnings.filter((w: { phrase?: { code: string } }) => w.phrase?.code.endsWith('LeftOut')).map((w: { line: number; column: string }) => `${w.line}:${w.column}`)).toEqual([
      '3:J50', ...Array.from({ length: 9 }, (_, k) => `${k + 4}:J50`), '13:J45', '13:J50',
    ]);

    const show = JSON.parse((await cli('jominy', 'datasets', 'show', String(ds.id), '--json')).out);
    expect(show.coverage.perDistance.slice(12)).toEqual([120, 119, 109]);
    expect(show.coverage.belowScaleLeftOut.slice(12)).toEqual([0, 1, 11]);
    expect(show.coverage.biasedHigh.map((b: { distanceMm: number; leftOut: number; tested: number; biasedHigh: boolean }) => [b.distanceMm, b.leftOut, b.tested, b.biasedHigh])).toEqual([[45, 1, 120, false], [50, 11, 120, true]]);
    const shown = (await cli('jominy', 'datasets', 'show', String(ds.id))).out;
    expect(shown).toMatch(/^J45 {15} *119 .*  1 heats read below 20 HRC here, left out$/m);
    expect(shown).toMatch(/^J50 {15} *109 .*  11 heats read below 20 HRC here, left out$/m);
    expect(shown).toContain(`WARNING: at 50 mm the network and its baselines are biased high, and the H-band of each grade named here: heats of these grades read below 20 HRC there and were left out (left out/tested there, over the dataset's heats of each grade) — ${grades50} — and they are the heats that soften most; over all grades 11 of the 120 heats tested there (9.2 %, over the dataset's heats)`);
    expect(shown).not.toContain('at 45 mm the network');

    const train = await cli('jominy', 'train', '--dataset', String(ds.id), '--seed', '3', '--max-hidden', '2', '--epochs', '20', '--ensemble', '0', '--json');
    expect(train.code).toBe(0);
    const modelId = JSON.parse(train.out).id as number;
    // the training's own report (what `jominy train` ends with) carries the flag
    expect(JSON.parse(train.out).biasedHigh.map((b: { distanceMm: number }) => b.distanceMm)).toEqual([50]);
    const model = JSON.parse((await cli('jominy', 'models', 'show', String(modelId), '--json')).out);
    expect(model.biasedHigh.map((b: { distanceMm: number; leftOut: number; tested: number }) => [b.distanceMm, b.leftOut, b.tested])).toEqual([[50, 11, 120]]);
    const report = (await cli('jominy', 'models', 'show', String(modelId))).out;
    expect(report.match(/^WARNING: at \d+ mm the network and its baselines are biased high/gm)).toEqual(['WARNING: at 50 mm the network and its baselines are biased high']);

    const chem = Object.entries(samples[50].chemistry).map(([el, v]) => `${el}=${v}`).join(',');
    const pred = JSON.parse((await cli('jominy', 'predict', '--model', String(modelId), '--chem', chem, '--json')).out);
    expect(pred.biasedHigh).toEqual(DISTANCES_MM.map((d) => d === 50));
    expect(pred.biasedHighNotes).toHaveLength(1);

    // a design's record carries the flag at 50 mm, where its predicted hardness rests on the biased-high network
    const target = pred.profile.map((h: number) => h.toFixed(1)).join(',');
    const design = await cli('jominy', 'design', '--model', String(modelId), '--target', target, '--pop', '12', '--gens', '3', '--top', '1', '--seed', '5', '--json');
    expect(design.code).toBe(0);
    const session = JSON.parse(design.out);
    expect(session.settings.biasedHigh.standard).toEqual(DISTANCES_MM.map((d) => d === 50));
    expect(session.settings.biasedHigh.notes.map((n: { params: { mm: string } }) => n.params.mm)).toEqual(['50']);
    expect((await cli('jominy', 'sessions', 'show', String(session.id))).out).toContain('WARNING: at 50 mm the network and its baselines are biased high');
    // Task 26-G (fails before: no distances named, the CSV export lost the flag): the page and the CLI name the
    // standard distances flagged, and the session's CSV says them in a comment line
    expect(session.settings.biasedHigh.atMm).toEqual([50]);
    expect((await cli('jominy', 'sessions', 'show', String(session.id))).out).toContain('\nbiased high at: 50 mm (heats below 20 HRC left out there)\n');
    expect((await sessionCsv(session.id)).split('\n').filter((l) => l.startsWith('# biased'))).toEqual(['# biased high at: 50 mm (heats below 20 HRC left out there)']);
  });

  // Task 26-G: fails before — the point skipped for too few heats was dropped from the model's flags, and 50 mm (its
  // end value held from 45 mm) was shown unflagged.
  it('a distance the heats left out push under the per-point minimum is skipped, and the value held there carries the flag', async () => {
    // a flagged distance that is no point flags what is read around it: held beyond the last point from it on, or
    // read between the two points around it
    expect(biasedHighAtStandard(DISTANCES_MM.filter((d) => d !== 50), [50])).toEqual(DISTANCES_MM.map((d) => d === 50));
    expect(biasedHighAtStandard([1.5, 20, 40], [30])).toEqual(DISTANCES_MM.map((d) => d > 20 && d < 40));
    expect(biasedHighAtStandard([1.5, 20, 35], [45])).toEqual(DISTANCES_MM.map((d) => d >= 45));
    const soft = samples.map((s, k) => ({ ...s, hardness: s.hardness.map((h, i) => (i === 14 && k < 100 ? 18 : h)) }));
    const csv = join(dir, 'soft-50.csv');
    writeFileSync(csv, writeJominyCsv(soft));
    const ds = JSON.parse((await cli('jominy', 'datasets', 'import', csv, '--below-scale', 'empty', '--json')).out);
    expect(ds.belowScale.heatsLeftOut.slice(13)).toEqual([1, 100]); // heat 10 read 19.5 at J45 too (above)
    const train = await cli('jominy', 'train', '--dataset', String(ds.id), '--seed', '3', '--max-hidden', '2', '--epochs', '20', '--ensemble', '0', '--json');
    expect(train.code).toBe(0);
    const modelId = JSON.parse(train.out).id as number;
    const model = JSON.parse((await cli('jominy', 'models', 'show', String(modelId), '--json')).out);
    expect(model.biasedHigh.map((b: { distanceMm: number; leftOut: number; tested: number; skipped?: boolean }) => [b.distanceMm, b.leftOut, b.tested, b.skipped])).toEqual([[50, 100, 120, true]]);
    expect((await cli('jominy', 'models', 'show', String(modelId))).out).toContain(
      'WARNING: at 50 mm there is no network: 100 of the 120 heats tested there (83.3 %, over this model\'s heats) read below 20 HRC and were left out, and too few heats were left to train one; the value shown there (the end value held, or read between the neighbouring points) is biased high',
    );
    const chem = Object.entries(samples[50].chemistry).map(([el, v]) => `${el}=${v}`).join(',');
    const pred = JSON.parse((await cli('jominy', 'predict', '--model', String(modelId), '--chem', chem, '--json')).out);
    expect(pred.outside[14]).toBe(true);
    expect(pred.biasedHigh).toEqual(DISTANCES_MM.map((d) => d === 50));
    expect(pred.biasedHighNotes.map((n: { code: string }) => n.code)).toEqual(['jominy.belowScale.biasedHighSkippedModel']);
  });

  it('an old dataset (stored before the count) is "not recorded", never 0, and flags nothing', async () => {
    const csv = join(dir, 'plain.csv');
    writeFileSync(csv, writeJominyCsv(samples.slice(20)));
    const ds = JSON.parse((await cli('jominy', 'datasets', 'import', csv, '--json')).out);
    expect(ds.belowScale).toEqual({ option: 'refuse', heatsLeftOut: Array(15).fill(0), byGrade: {} });
    const { openDatabase, closeDatabase } = await import('../../../core/store/index.js');
    const { db } = openDatabase(join(dir, 'data', 'ferrolab.sqlite'));
    db.prepare('UPDATE jominy_datasets SET below_scale_json = NULL WHERE id = ?').run(ds.id);
    closeDatabase(db);
    const show = JSON.parse((await cli('jominy', 'datasets', 'show', String(ds.id), '--json')).out);
    expect(show.dataset.belowScale).toBeNull();
    expect(show.coverage.belowScaleLeftOut).toBeNull();
    expect(show.coverage.biasedHigh).toEqual([]);
    expect((await cli('jominy', 'datasets', 'show', String(ds.id))).out).toContain('heats read below 20 HRC: not recorded (imported before they were counted)');
    // Task 26-G (fails before: models show, predict and a design said nothing — as if none were flagged): "not recorded"
    const train = await cli('jominy', 'train', '--dataset', String(ds.id), '--seed', '3', '--max-hidden', '2', '--epochs', '20', '--ensemble', '0', '--json');
    const modelId = JSON.parse(train.out).id as number;
    const notRecorded = 'heats read below 20 HRC: not recorded (imported before they were counted)';
    const model = JSON.parse((await cli('jominy', 'models', 'show', String(modelId), '--json')).out);
    expect([model.biasedHigh, model.biasedHighNotRecorded?.code]).toEqual([[], 'jominy.belowScale.notRecorded']);
    expect((await cli('jominy', 'models', 'show', String(modelId))).out).toContain(`\nnote: ${notRecorded}\n`);
    const chem = Object.entries(samples[50].chemistry).map(([el, v]) => `${el}=${v}`).join(',');
    const pred = await cli('jominy', 'predict', '--model', String(modelId), '--chem', chem);
    expect(pred.out).toContain(`\nnote: ${notRecorded}\n`);
    const target = JSON.parse((await cli('jominy', 'predict', '--model', String(modelId), '--chem', chem, '--json')).out).profile.map((h: number) => h.toFixed(1)).join(',');
    const session = JSON.parse((await cli('jominy', 'design', '--model', String(modelId), '--target', target, '--pop', '12', '--gens', '2', '--top', '1', '--seed', '5', '--json')).out);
    expect(session.settings.biasedHigh.notRecorded.code).toBe('jominy.belowScale.notRecorded');
    expect((await cli('jominy', 'sessions', 'show', String(session.id))).out).toContain(`\nbiased high at: ${notRecorded}\n`);
    expect((await sessionCsv(session.id)).split('\n').filter((l) => l.startsWith('# biased'))).toEqual([`# biased high at: ${notRecorded}`]);
  });
});

// Task 26-G: H-bands are per grade, so is the bias. Fails before: the share was over the whole file only (3.3 %: no flag)
// and nothing was counted per grade.
describe('per grade: a grade whose own heats left out reach 3.5 % flags the distance, named, in the grade statistics too', () => {
  // grade A: 40 heats, 20 of them read 18 HRC at J50; grade B: 560 heats, all measured — 20 of 600 overall (3.3 %)
  const rows = [
    ...Array.from({ length: 40 }, (_, k) => `A${k},A,${(0.3 + k * 0.001).toFixed(3)},0.7,50,${k < 20 ? 18 : 24}`),
    ...Array.from({ length: 560 }, (_, k) => `B${k},B,${(0.4 + k * 0.0001).toFixed(4)},0.8,55,30`),
  ];
  const text = `# distance-unit: mm\nheat_id,grade,C,Mn,J1.5,J50\n${rows.join('\n')}\n`;

  it('the import counts per grade; a grade flags from MIN_GRADE_LEFT_OUT heats left out at its share, however small', () => {
    const p = parseJominyCsv(text, { belowScale: 'empty' });
    expect(p.belowScaleLeftOut).toEqual([0, 20]);
    expect(p.belowScaleByGrade).toEqual({ A: [0, 20] });
    const grades = [{ grade: 'A', perDistance: [40, 20] }, { grade: 'B', perDistance: [560, 560] }, { grade: 'C', perDistance: [19, 15] }];
    const [pt] = belowScalePoints([1.5, 50], [619, 595], [0, 24], { measured: grades, leftOut: { A: [0, 20], C: [0, 4] } });
    expect(MIN_GRADE_LEFT_OUT).toBe(2);
    // 24 of 619 = 3.9 % overall; A 20/40 flagged; C 4/19 = 21 % of a small grade flagged too (task 26-K; before: a
    // minimum of 29 heats tested hid it)
    expect([pt.leftOut, pt.tested, pt.biasedHigh, pt.grades]).toEqual([24, 619, true, [{ grade: 'A', leftOut: 20, tested: 40, share: 0.5 }, { grade: 'C', leftOut: 4, tested: 19, share: 4 / 19 }]]);
    // one heat left out never flags a grade alone, whatever its share (1 of 10); two of 20 (10 %) do; two of 60 (3.3 %) do not
    const small = (measured: number, leftOut: number) => belowScalePoints([50], [1000], [leftOut], { measured: [{ grade: 'S', perDistance: [measured] }], leftOut: { S: [leftOut] } })[0];
    expect([small(9, 1).biasedHigh, small(18, 2).biasedHigh, small(58, 2).biasedHigh]).toEqual([false, true, false]);
    const [only] = belowScalePoints([1.5, 50], [600, 580], [0, 20], { measured: grades.slice(0, 2), leftOut: { A: [0, 20] } });
    expect([+only.share.toFixed(4), only.biasedHigh]).toEqual([0.0333, true]);
    // not recorded per grade (a dataset stored before): the whole file's share only, grades null
    const [old] = belowScalePoints([1.5, 50], [600, 580], [0, 20], { measured: grades.slice(0, 2), leftOut: null });
    expect([old.biasedHigh, old.grades]).toEqual([false, null]);
  });

  it('datasets show flags 50 mm naming grade A; datasets grades warns for A only; an old dataset says per grade "not recorded"', async () => {
    const csv = join(dir, 'grades.csv');
    writeFileSync(csv, text);
    const ds = JSON.parse((await cli('jominy', 'datasets', 'import', csv, '--below-scale', 'empty', '--json')).out);
    expect(ds.belowScale).toEqual({ option: 'empty', heatsLeftOut: [0, 20], byGrade: { A: [0, 20] } });
    const show = JSON.parse((await cli('jominy', 'datasets', 'show', String(ds.id), '--json')).out);
    expect(show.coverage.biasedHigh.map((b: { distanceMm: number; leftOut: number; tested: number; biasedHigh: boolean; grades: unknown }) => [b.distanceMm, b.leftOut, b.tested, b.biasedHigh, b.grades])).toEqual([
      [50, 20, 600, true, [{ grade: 'A', leftOut: 20, tested: 40, share: 0.5 }]],
    ]);
    expect((await cli('jominy', 'datasets', 'show', String(ds.id))).out).toContain(
      'WARNING: at 50 mm the network and its baselines are biased high, and the H-band of each grade named here: heats of these grades read below 20 HRC there and were left out (left out/tested there, over the dataset\'s heats of each grade) — A: 20/40 (50 %) — and they are the heats that soften most; over all grades 20 of the 600 heats tested there (3.3 %, over the dataset\'s heats)',
    );
    const grades = JSON.parse((await cli('jominy', 'datasets', 'grades', String(ds.id), '--json')).out);
    expect(grades.map((g: { grade: string; belowScale: { leftOut: number[]; biasedHigh: boolean[] } }) => [g.grade, g.belowScale.leftOut, g.belowScale.biasedHigh])).toEqual([
      ['A', [0, 20], [false, true]],
      ['B', [0, 0], [false, false]],
    ]);
    const said = (await cli('jominy', 'datasets', 'grades', String(ds.id))).out;
    expect(said.match(/WARNING: .*/g)).toEqual([
      'WARNING: grade A at J50: 20 of its 40 heats tested there (50 %, over the dataset\'s heats of this grade) read below 20 HRC and were left out, and they are its heats that soften most: its H-band low line and mean there are biased high',
    ]);
    const { openDatabase, closeDatabase } = await import('../../../core/store/index.js');
    const { db } = openDatabase(join(dir, 'data', 'ferrolab.sqlite'));
    db.prepare('UPDATE jominy_datasets SET below_scale_json = ? WHERE id = ?').run(JSON.stringify({ option: 'empty', heatsLeftOut: [0, 20] }), ds.id);
    closeDatabase(db);
    const old = JSON.parse((await cli('jominy', 'datasets', 'show', String(ds.id), '--json')).out);
    expect(old.coverage.biasedHigh.map((b: { biasedHigh: boolean; grades: unknown }) => [b.biasedHigh, b.grades])).toEqual([[false, null]]);
    expect((await cli('jominy', 'datasets', 'grades', String(ds.id), '--grade', 'A')).out).toContain('  heats read below 20 HRC: not recorded (imported before they were counted)');
  });
});

// Task 26-K (1): the grade view judged a grade against its rows with a reading, training against its heats. Fails
// before: a 40-heat grade of two bars a heat with 2 heats below 20 showed 2 of 78 rows (2.5 %, no flag).
describe('the grade statistics judge a grade against its heats, never its rows (retests)', () => {
  const rows: string[] = [];
  for (let k = 0; k < 40; k++) {
    const soft = k < 2;
    const mn = (0.5 + k / 1000).toFixed(3);
    rows.push(`G${k},G,0.3,${mn},50,40,25,${soft ? 19 : 22}`, `G${k},G,0.3,${mn},50,40,25,${soft ? 21 : 23}`);
  }
  for (let k = 0; k < 400; k++) rows.push(`H${k},H,0.40,${(0.5 + k / 1000).toFixed(3)},55,45,30,28`);
  const text = `# distance-unit: mm\nheat_id,grade,C,Mn,J1.5,J5,J25,J30\n${rows.join('\n')}\n`;

  it('2 of 40 heats flagged at J30 in datasets grades, as training flags them; the band keeps its 76 bars there', async () => {
    const csv = join(dir, 'retest-grades.csv');
    writeFileSync(csv, text);
    const ds = JSON.parse((await cli('jominy', 'datasets', 'import', csv, '--below-scale', 'empty', '--json')).out);
    expect(ds.belowScale.byGrade).toEqual({ G: [0, 0, 0, 2] });
    const show = JSON.parse((await cli('jominy', 'datasets', 'show', String(ds.id), '--json')).out);
    expect(show.coverage.biasedHigh.map((b: { grades: unknown }) => b.grades)).toEqual([[{ grade: 'G', leftOut: 2, tested: 40, share: 0.05 }]]);
    const grades = JSON.parse((await cli('jominy', 'datasets', 'grades', String(ds.id), '--grade', 'G', '--json')).out);
    expect([grades[0].measured, grades[0].heats, grades[0].belowScale.leftOut, grades[0].belowScale.biasedHigh]).toEqual([
      [80, 80, 80, 76],
      [40, 40, 40, 38],
      [0, 0, 0, 2],
      [false, false, false, true],
    ]);
    expect((await cli('jominy', 'datasets', 'grades', String(ds.id), '--grade', 'G')).out.match(/WARNING: .*/g)).toEqual([
      'WARNING: grade G at J30: 2 of its 40 heats tested there (5 %, over the dataset\'s heats of this grade) read below 20 HRC and were left out, and they are its heats that soften most: its H-band low line and mean there are biased high',
    ]);
  });
});

// Task 26-K (2): a Jominy curve does not rise along the bar — a heat below 20 HRC at a distance is below the scale at
// every later one. Fails before: H2 (bar stops after "<20" at J30) was neither measured nor left out at J40, and H1's
// retest kept 20.5 at J40 (the reviewer's r3 cases).
describe('below 20 HRC at a distance carries to every later distance of the layout', () => {
  it('counts the heat left out at J40 too and blanks its other bar there, warned naming the line and where it read below', () => {
    const rows = ['H1,G,0.30,0.800,50,40,25,19,', 'H1,G,0.30,0.800,50,40,25,22,20.5', 'H2,G,0.30,0.810,50,40,25,<20,'];
    for (let k = 0; k < 5; k++) rows.push(`X${k},G,0.30,0.${820 + k},50,40,26,24,22`);
    const p = parseJominyCsv(['# distance-unit: mm', 'heat_id,grade,C,Mn,J1.5,J5,J25,J30,J40', ...rows].join('\n') + '\n', { belowScale: 'empty' });
    expect(p.belowScaleLeftOut).toEqual([0, 0, 0, 2, 2]);
    expect(p.belowScaleByGrade).toEqual({ G: [0, 0, 0, 2, 2] });
    expect(p.samples.slice(0, 3).map((s) => s.hardness.map((h) => (Number.isFinite(h) ? h : null)))).toEqual([
      [50, 40, 25, null, null],
      [50, 40, 25, null, null],
      [50, 40, 25, null, null],
    ]);
    expect(p.samples.slice(3).every((s) => s.hardness[4] === 22)).toBe(true);
    expect(p.warnings.filter((w) => w.line === 4 && w.column !== undefined).map((w) => [w.column, w.message])).toEqual([
      ['J30', '22 HRC at J30 left empty (not measured): another bar of this heat (line 3) read below 20 HRC there, and this bar alone would bias the heat high, as one flat alone would — the heat is counted as left out there'],
      ['J40', '20.5 HRC at J40 left empty (not measured): a bar of this heat (line 3) read below 20 HRC at J30, nearer the quenched end, and a Jominy curve does not rise along the bar — the heat is below the scale here too and counted as left out here'],
    ]);
    // the same bar's own later reading (a row without an id too: its own bar, no other row's) is left empty, warned
    const own = parseJominyCsv('# distance-unit: mm\ngrade,C,Mn,J1.5,J30,J40\nG,0.3,0.8,50,19,20.5\nG,0.3,0.9,50,24,22\n', { belowScale: 'empty' });
    expect(own.samples.map((s) => [s.hardness[1], s.hardness[2]])).toEqual([[Number.NaN, Number.NaN], [24, 22]]);
    expect(own.warnings.filter((w) => w.phrase?.code === 'jominyCsv.laterLeftOut').map((w) => [w.line, w.column])).toEqual([[3, 'J40']]);
    expect(own.belowScaleLeftOut).toEqual([0, 1, 1]);
  });

  it('a retest blanked in HV is named as the file wrote it (247 HV), never its HRC conversion', () => {
    const hv = parseJominyCsv(['# distance-unit: mm', 'heat_id,grade,C,Mn,J1.5 HV,J5 HV,J25 HV,J30 HV', 'H1,G,0.3,0.8,520,400,280,230', 'H1,G,0.3,0.8,520,400,280,247', ...Array.from({ length: 4 }, (_, k) => `X${k},G,0.3,0.8${k},520,400,280,250`)].join('\n') + '\n', { belowScale: 'empty' });
    expect(hv.warnings.filter((w) => w.phrase?.code === 'jominyCsv.retestLeftOut').map((w) => [w.line, w.message])).toEqual([
      [4, '247 HV at J30 left empty (not measured): another bar of this heat (line 3) read below 20 HRC there, and this bar alone would bias the heat high, as one flat alone would — the heat is counted as left out there'],
    ]);
  });
});

// Task 27-C: the 3.5 % rule was judged over the dataset's heats, and a model took the dataset's flags whatever heats it
// trained on. Fails before: the model learning 96 of 120 heats (24 lack Mo, an input at exactly 80 %) showed the
// dataset's flag — none where 4 of its own 96 heats (4.2 %) are left out at J50, and 50 mm where 2 of its 96 (2.1 %) are.
describe("a model's biased-high flag is judged over the heats it takes, not the dataset's", () => {
  // 120 synthetic heats lifted to ≥ 21 HRC, in 10 grades of 12 (so no grade has 2 heats left out: the overall share
  // alone decides); heats 96–119 did not analyse Mo
  const base = generateSynthetic({ n: 120, seed: 27 }).map((s, k) => ({
    ...s,
    grade: `G${k % 10}`,
    chemistry: k >= 96 ? Object.fromEntries(Object.entries(s.chemistry).filter(([el]) => el !== 'Mo')) : s.chemistry,
    hardness: s.hardness.map((h) => Math.max(h, 21)),
  })) as ReturnType<typeof generateSynthetic>;
  const softAt50 = (ks: number[]) => base.map((s, k) => ({ ...s, hardness: s.hardness.map((h, i) => (i === 14 && ks.includes(k) ? 18 : h)) }));
  const train = async (dsId: number) => {
    const r = await cli('jominy', 'train', '--dataset', String(dsId), '--seed', '3', '--max-hidden', '2', '--epochs', '20', '--ensemble', '0', '--json');
    expect(r.code).toBe(0);
    const id = JSON.parse(r.out).id as number;
    return { id, model: JSON.parse((await cli('jominy', 'models', 'show', String(id), '--json')).out), text: (await cli('jominy', 'models', 'show', String(id))).out };
  };
  const importSoft = async (name: string, ks: number[]) => {
    const csv = join(dir, `${name}.csv`);
    writeFileSync(csv, writeJominyCsv(softAt50(ks)));
    const ds = JSON.parse((await cli('jominy', 'datasets', 'import', csv, '--below-scale', 'empty', '--name', name, '--json')).out);
    const show = JSON.parse((await cli('jominy', 'datasets', 'show', String(ds.id), '--json')).out);
    return { ds, at50: show.coverage.biasedHigh.find((b: { distanceMm: number }) => b.distanceMm === 50) };
  };
  const chem = Object.entries(base[50].chemistry).map(([el, v]) => `${el}=${v}`).join(',');

  it("under 3.5 % over the dataset (4 of 120) but 4 of the model's 96 heats (4.2 %): the model flags 50 mm, its predictions and designs too", async () => {
    const { ds, at50 } = await importSoft('subset-soft', [0, 1, 2, 3]);
    expect([at50.leftOut, at50.tested, at50.biasedHigh, at50.over]).toEqual([4, 120, false, 'dataset']);
    const { id, model, text } = await train(ds.id);
    expect(model.inputHeats.usedHeats).toBe(96);
    expect(model.biasedHigh.map((b: { distanceMm: number; leftOut: number; tested: number; over: string }) => [b.distanceMm, b.leftOut, b.tested, b.over])).toEqual([[50, 4, 96, 'model']]);
    expect(text).toContain("WARNING: at 50 mm the network and its baselines are biased high: 4 of the 96 heats tested there (4.2 %, over this model's heats) read below 20 HRC");
    const pred = JSON.parse((await cli('jominy', 'predict', '--model', String(id), '--chem', chem, '--json')).out);
    expect(pred.biasedHigh).toEqual(DISTANCES_MM.map((d) => d === 50));
    const target = pred.profile.map((h: number) => h.toFixed(1)).join(',');
    const session = JSON.parse((await cli('jominy', 'design', '--model', String(id), '--target', target, '--pop', '12', '--gens', '2', '--top', '1', '--seed', '5', '--json')).out);
    expect(session.settings.biasedHigh.atMm).toEqual([50]);
    expect((await sessionCsv(session.id)).split('\n').filter((l) => l.startsWith('# biased'))).toEqual(['# biased high at: 50 mm (heats below 20 HRC left out there)']);

    // a dataset stored before heats were recorded one by one (migration 030) whose heats the model does not all take:
    // which of them were left out is not known — "not recorded", never the dataset's flag nor none
    const { openDatabase, closeDatabase } = await import('../../../core/store/index.js');
    const { db } = openDatabase(join(dir, 'data', 'ferrolab.sqlite'));
    db.prepare('UPDATE jominy_samples SET below_scale_from = NULL WHERE dataset_id = ?').run(ds.id);
    closeDatabase(db);
    const old = await train(ds.id);
    expect([old.model.biasedHigh, old.model.biasedHighNotRecorded?.code]).toEqual([[], 'jominy.belowScale.notRecordedPerHeat']);
  });

  it("3.5 % or more over the dataset (5 of 120) but 2 of the model's 96 heats (2.1 %): the model flags nothing", async () => {
    const { ds, at50 } = await importSoft('subset-hard', [0, 1, 96, 97, 98]);
    expect([at50.leftOut, at50.tested, at50.biasedHigh]).toEqual([5, 120, true]);
    const { id, model, text } = await train(ds.id);
    expect([model.inputHeats.usedHeats, model.biasedHigh, model.biasedHighNotRecorded]).toEqual([96, [], null]);
    expect(text).not.toContain('biased high');
    const pred = JSON.parse((await cli('jominy', 'predict', '--model', String(id), '--chem', chem, '--json')).out);
    expect(pred.biasedHigh).toEqual(DISTANCES_MM.map(() => false));

    // task 27-L: the same dataset as stored before heats were recorded one by one (migration 030): which of the model's
    // heats were left out is not known, so the dataset's flag is shown, over the dataset's heats, with the model's own
    // "not recorded" (fails before: no flag at all)
    const { openDatabase, closeDatabase } = await import('../../../core/store/index.js');
    const { db } = openDatabase(join(dir, 'data', 'ferrolab.sqlite'));
    db.prepare('UPDATE jominy_samples SET below_scale_from = NULL WHERE dataset_id = ?').run(ds.id);
    closeDatabase(db);
    const old = await train(ds.id);
    expect(old.model.biasedHigh.map((b: { distanceMm: number; leftOut: number; tested: number; over: string }) => [b.distanceMm, b.leftOut, b.tested, b.over])).toEqual([[50, 5, 120, 'dataset']]);
    expect(old.model.biasedHighNotRecorded?.code).toBe('jominy.belowScale.notRecordedPerHeat');
    expect(old.text).toContain("WARNING: at 50 mm the network and its baselines are biased high: 5 of the 120 heats tested there (4.2 %, over the dataset's heats)");
    expect(old.text).toContain("note: this model's own heats read below 20 HRC: not recorded");
  });

  it('over all of a dataset\'s rows the per-heat marks give the counts the import stored, per grade too', () => {
    const soft = softAt50([0, 1, 10, 96]);
    soft[10].hardness[13] = 19; // heat 10 (grade G0) below the scale from J45
    const p = parseJominyCsv(writeJominyCsv(soft), { belowScale: 'empty' });
    const keys = p.samples.map((s) => `id:${s.heatId}`);
    const c = heatsBelowScale(p.samples, keys, p.samples.map((s) => s.grade!), p.belowScaleFrom, 15);
    expect(c.leftOut).toEqual(p.belowScaleLeftOut);
    expect(c.byGrade.leftOut).toEqual(p.belowScaleByGrade);
    expect(c.byGrade.leftOut).toEqual({ G0: [...Array(13).fill(0), 1, 2], G1: [...Array(14).fill(0), 1], G6: [...Array(14).fill(0), 1] });
    expect([c.measured[13], c.measured[14]]).toEqual([119, 116]);
    // the model's subset: without heat 96 (no Mo) its grade G6 has none left out, and the share is over 96 heats
    const mine = p.samples.flatMap((s, k) => (k < 96 ? [k] : []));
    const m = heatsBelowScale(mine.map((k) => p.samples[k]), mine.map((k) => keys[k]), mine.map((k) => p.samples[k].grade!), mine.map((k) => p.belowScaleFrom[k]), 15);
    expect([m.leftOut[14], m.measured[14], m.byGrade.leftOut?.G6]).toEqual([3, 93, undefined]);
  });
});
