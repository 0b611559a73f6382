import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../core/jominy/normal.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeDatabase, openDatabase } from '../../../core/store/index.js';
import { cliInTempFolder } from '../../helpers/cli.js';
import { storeVariant } from '../../helpers/jominy-stored-predictor.js';

/** The in-process CLI (test/helpers/cli.ts) on this file's own data folder. */
const { dir, data, cli } = cliInTempFolder('ferrolab-jominy-covwhy-');
const STORED_BEFORE = 'not re-measured: stored before the cross-fit calibration (2026-11-30); retrain to measure';
const chem = 'C=0.40,Mn=0.80,Si=0.25,P=0.012,S=0.02,Cu=0.15,Cr=1.0,Ni=0.1,Mo=0.2,B=0.0002,Ti=0.003,Nb=0.002,Sn=0.01,Al=0.025,V=0.01';

// `jominy models list` says each predictor's 90 % coverage or why there is none; a predictor stored before the
// cross-fit calibration (its coverage may be a one-heat half's false 1.00) is not shown as measured, in the list,
// `models show` and `predict`. Fails before: no `models list`, and the old-style predictor showed 100.0 %.
describe('ferrolab jominy: a coverage that says what it is', () => {
  it('models list / show / predict state the reason, text and JSON', async () => {
    const csv = join(dir, 'heats.csv');
    expect((await cli('jominy', 'synth', '--n', '150', '--seed', '3', '--out', csv)).code).toBe(0);
    expect((await cli('jominy', 'train', csv, '--seed', '2', '--max-hidden', '2', '--epochs', '15', '--ensemble', '3')).code).toBe(0);
    // copies of predictor 1 stored as older code stored them (through the models repo, on the CLI's data folder)
    const { db } = openDatabase(join(data, 'ferrolab.sqlite'));
    const ids = (['before-cross-fit', 'half-too-small', 'no-ensemble', 'before-readings-count'] as const).map((v) => storeVariant(db, data, 1, v));
    closeDatabase(db);
    expect(ids).toEqual([2, 3, 4, 5]);

    const json = await cli('jominy', 'models', 'list', '--json');
    expect(json.code).toBe(0);
    const list = (JSON.parse(json.out) as { id: number; coverage90: number | null; coverage90Why: string }[]).sort((a, b) => a.id - b.id);
    expect(list.map((m) => [m.id, m.coverage90 === null ? null : 'number', m.coverage90Why])).toEqual([
      [1, 'number', 'measured'],
      [2, null, 'stored-before-cross-fit'],
      [3, null, 'half-too-small'],
      [4, null, 'no-ensemble'],
      [5, 'number', 'measured'],
    ]);
    const measured = list[0].coverage90!;
    expect(measured).toBeGreaterThan(0.7);

    const text = await cli('jominy', 'models', 'list');
    expect(text.code).toBe(0);
    const line = (id: number) => text.out.split('\n').find((l) => l.startsWith(`${id}  `))!;
    // the count and its Wilson 90 % interval beside the share (readings the cross-fit counted)
    const n = (list[0] as { coverage90Readings?: number | null }).coverage90Readings!;
    expect(n).toBe(675);
    const [lo, hi] = wilsonInterval(measured, n);
    expect(lo).toBeLessThan(measured);
    expect(hi).toBeGreaterThan(measured);
    expect(line(1)).toMatch(new RegExp(`ensemble of 3, 90 % interval coverage ${(100 * measured).toFixed(1)} % of 675 held-out readings, Wilson 90 % ${(100 * lo).toFixed(1)}–${(100 * hi).toFixed(1)} %$`));
    expect(line(2)).toMatch(new RegExp(`ensemble of 3, 90 % interval coverage ${STORED_BEFORE.replace(/[()]/g, '\\$&')}$`));
    expect(line(3)).toContain('90 % interval coverage not measured: too few held-out heats to cross-fit');
    expect(line(4)).toContain('90 % interval coverage none: the predictor has no ensemble');
    // a row stored before the readings were counted: the same measured share, and that its count was not recorded
    expect((list[4] as { coverage90Readings?: number | null }).coverage90Readings).toBeNull();
    expect(list[4].coverage90).toBe(measured);
    expect(line(5)).toMatch(new RegExp(`ensemble of 3, 90 % interval coverage ${(100 * measured).toFixed(1)} % \\(count not recorded\\)$`));

    const show = await cli('jominy', 'models', 'show', '2');
    expect(show.out).toContain(`held-out coverage of the nominal 90.0 % interval: ${STORED_BEFORE} (675 cells, 45 test rows; `);
    expect(show.out).not.toContain('100.0 %');
    const showJson = JSON.parse((await cli('jominy', 'models', 'show', '2', '--json')).out);
    expect([showJson.coverage90, showJson.coverage90Why, showJson.uncertainty.coverage, showJson.uncertainty.coverageWhy]).toEqual([null, 'stored-before-cross-fit', null, 'stored-before-cross-fit']);

    const p = await cli('jominy', 'predict', '--model', '2', '--chem', chem);
    expect(p.code).toBe(0);
    expect(p.out).toContain(`interval: 90 % nominal from the predictor's ensemble, split-conformal calibrated; its held-out coverage: ${STORED_BEFORE}`);
    const pj = JSON.parse((await cli('jominy', 'predict', '--model', '2', '--chem', chem, '--json')).out);
    expect([pj.interval.coverage, pj.interval.coverageWhy]).toEqual([null, 'stored-before-cross-fit']);

    // design: P(meet band) of the old-style predictor carries the caveat (text and JSON); the measured one's does not
    const band = join(dir, 'band.csv');
    writeFileSync(band, 'distance_mm,min,max\n1.5,40,60\n9,25,50\n20,18,40\n');
    const design = (model: string, ...json: string[]) => cli('jominy', 'design', '--model', model, '--band', band, '--tolerance', 'C=0.02,Mn=0.05', '--pop', '10', '--gens', '3', '--top', '2', '--seed', '5', ...json);
    const [dOld, dNew] = [JSON.parse((await design('2', '--json')).out), JSON.parse((await design('1', '--json')).out)];
    type Meet = { p: number; calibrationWhy: string; calibrationNote: { code: string; text: string } | null };
    const meets = (x: { results: { meet: Meet }[] }) => x.results.map((r) => r.meet);
    expect(meets(dOld).map((m) => m.p)).toEqual(meets(dNew).map((m) => m.p));
    expect(meets(dOld).map((m) => [m.calibrationWhy, m.calibrationNote?.code])).toEqual(meets(dOld).map(() => ['stored-before-cross-fit', 'jominy.meetCaveat.storedBeforeCrossFit']));
    expect(meets(dNew).map((m) => [m.calibrationWhy, m.calibrationNote])).toEqual(meets(dNew).map(() => ['measured', null]));
    const tOld = await design('2');
    expect(tOld.code).toBe(0);
    // P(meet band) with its range (jominy-meet-text.ts meetCell), '†' for the caveat
    expect(tOld.out).toMatch(/\n +1 +\d+\.\d % \(\d+\.\d–\d+\.\d\)† +\d+\.\d\d /);
    expect(tOld.out).toContain("† P(meet band): calibration not measured: the predictor's interval scale was stored before the cross-fit calibration (2026-11-30); read it to compare designs, not as a share of heats; retrain to measure");
    const tNew = await design('1');
    expect(tNew.out).toMatch(/\n +1 +\d+\.\d % \(\d+\.\d–\d+\.\d\) +\d+\.\d\d /);
    expect(tNew.out).not.toContain('calibration not measured');
  });
});
