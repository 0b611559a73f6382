import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp.js';
import { runCli } from '../../helpers/cli.js';
import { createAppContext } from '../../../core/app/context.js';

let dir: string, cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  const ctx = createAppContext({ dataDir: dir, shell: 'cli' });
  ctx.repos.billets.create({ name: 'Heat 7', nominalDiameterMm: 600 });
  void ctx.close();
});
afterEach(() => cleanup());

const cli = (...args: string[]) => runCli(dir, ...args);

describe('ferrolab points/readings CLI', () => {
  it('readings import --no-positions imports a drilling plan whose y points up; without it the rows are refused naming the option (task 24-H)', async () => {
    expect((await cli('points', 'layout', 'Heat 7')).rc).toBe(0);
    const plan = join(dir, 'plan.csv');
    // P01..P03 of the hex85 layout lie off the x axis: y flipped, each is another spot
    const listed = await cli('points', 'list', 'Heat 7', '--json');
    const points = (JSON.parse(listed.out) as { points: { label: string; xMm: number; yMm: number }[] }).points.slice(0, 3);
    writeFileSync(plan, ['label,x,y,C', ...points.map((p, i) => `${p.label},${p.xMm},${-p.yMm},0.4${i}`)].join('\n') + '\n');
    const refused = await cli('readings', 'import', 'Heat 7', plan);
    expect([refused.rc, refused.err]).toEqual([1, expect.stringContaining('--no-positions')]);
    const read = await cli('readings', 'import', 'Heat 7', plan, '--no-positions', '--json');
    expect([read.rc, JSON.parse(read.out).imported]).toEqual([0, 3]);
  });

  it('lays out points by billet name or id, imports, refuses a bad file by line, exports', async () => {
    const lay = await cli('points', 'layout', 'Heat 7', '--json');
    expect(lay.rc).toBe(0);
    expect(JSON.parse(lay.out).points).toHaveLength(85);
    for (const count of ['0x25', '37.0', '3.7e1', '']) {
      const refused = await cli('points', 'layout', '1', '--pattern', 'rings', '--count', count);
      expect([refused.rc, refused.err]).toEqual([2, expect.stringContaining(`--count must be an integer, got "${count}"`)]);
    }
    const margin = await cli('points', 'layout', '1', '--pattern', 'rings', '--margin', '1e-400');
    expect([margin.rc, margin.err]).toEqual([2, expect.stringContaining('--margin must be a number, got "1e-400" (is too small to represent (it would read as 0))')]);
    const rings = await cli('points', 'layout', '1', '--pattern', 'rings', '--count', '37', '--json');
    expect(JSON.parse(rings.out).points).toHaveLength(37);

    const good = join(dir, 'good.csv');
    writeFileSync(good, 'Sample;C [ppm]\nP01;4520\nP01;4580\nP02;4100\n');
    const undeclared = await cli('readings', 'import', 'Heat 7', good);
    expect(undeclared.rc).toBe(1);
    expect(undeclared.err).toContain('line 3: point P01 appears on lines 2, 3: repeated labels are refused unless the file declares replicates');
    const imp = await cli('readings', 'import', 'Heat 7', good, '--replicates', '--json');
    expect(imp.rc).toBe(0);
    expect(JSON.parse(imp.out)).toEqual({ imported: 3, points: 2, unit: 'ppm', delimiter: ';', decimalComma: false });
    expect(imp.err).toContain('unit: ppm (column "C [ppm]" says ppm)');

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'label,C\nP01,0.45\nP02,3.1\n');
    const rej = await cli('readings', 'import', 'Heat 7', bad);
    expect(rej.rc).toBe(1);
    expect(rej.err).toContain('line 3: carbon 3.1 wt.% is above 2.5 wt.% (not a steel) for P02');

    const layAgain = await cli('points', 'layout', 'Heat 7', '--pattern', 'grid');
    expect(layAgain.rc).toBe(1);
    expect(layAgain.err).toMatch(/3 carbon readings.*add --replace/);

    const outFile = join(dir, 'export.csv');
    const exp = await cli('readings', 'export', 'Heat 7', outFile);
    expect(exp.rc).toBe(0);
    const lines = readFileSync(outFile, 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^P01,[-\d.]+,[-\d.]+,1,0\.452,,,$/);
    expect(lines[3]).toMatch(/^P02,[-\d.]+,[-\d.]+,1,0\.41,,,$/);
    // the export goes only where asked: no copy left under reports/
    const reportsDir = join(dir, 'reports');
    expect(existsSync(reportsDir) ? readdirSync(reportsDir, { recursive: true }).filter((f) => String(f).includes('readings')) : []).toEqual([]);
    // An export that fails before it is whole leaves the earlier file as it was, and no temporary file: it was written
    // in place, so a kill or a full disk part-way left a truncated CSV that looked finished.
    const before = readFileSync(outFile);
    expect((await cli('readings', 'set', 'Heat 7', 'P01', '0.47')).rc).toBe(0);
    process.env.FERROLAB_TEST_FAIL_AT = 'export:written-not-renamed';
    try {
      const failed = await cli('readings', 'export', 'Heat 7', outFile);
      expect([failed.rc, failed.err]).toEqual([1, expect.stringContaining('injected failure at export:written-not-renamed')]);
    } finally {
      delete process.env.FERROLAB_TEST_FAIL_AT;
    }
    expect(readFileSync(outFile).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('export.csv'))).toEqual(['export.csv']);
    expect((await cli('readings', 'export', 'Heat 7', outFile)).rc).toBe(0);
    expect(readFileSync(outFile, 'utf8')).toMatch(/\r\nP01,[-\d.]+,[-\d.]+,1,0\.47,,,[\d-]+T[\d:.]+Z\r\n/);

    for (const typed of ['0,41', '0x1', '1e-400', '0.']) {
      const refused = await cli('readings', 'set', 'Heat 7', 'P05', typed);
      expect([refused.rc, refused.err]).toEqual([2, expect.stringContaining(`VALUE: "${typed}"`)]);
    }
    const set = await cli('readings', 'set', 'Heat 7', 'P05', '0.41', '0.43', '--json');
    expect(set.rc).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({ label: 'P05', n: 2, meanWtPct: 0.42 });
    const neg = await cli('readings', 'set', 'Heat 7', 'P05', '3.1');
    expect(neg.rc).toBe(1);
    expect(neg.err).toContain('carbon above 2.5 wt.% is not a steel');
    const cleared = await cli('readings', 'set', 'Heat 7', 'P05', '--clear', '--json');
    expect(JSON.parse(cleared.out)).toMatchObject({ label: 'P05', n: 0 });

    const unknown = await cli('points', 'layout', 'Nope');
    expect(unknown.rc).toBe(1);
    expect(unknown.err).toContain('No billet named "Nope"');
  });

  it('billets named by heat number: heat 4711\'s readings are refused by heat 4712; a number that is one billet\'s id and another\'s name is refused (task 25-C)', async () => {
    const ctx = createAppContext({ dataDir: dir, shell: 'cli' });
    const heat = (name: string) => ctx.repos.billets.create({ name, nominalDiameterMm: 600 }).id;
    const [h4711, h4712, cast3] = [heat('4711'), heat('4712'), heat('3')];
    void ctx.close();
    expect([h4711, h4712, cast3]).toEqual([2, 3, 4]);
    expect((await cli('points', 'layout', '4712')).rc).toBe(0); // no id 4712: the name
    const file = join(dir, 'heat-4711.csv');
    writeFileSync(file, 'Sample,C\n4711-P05,0.45\n4711-P06,0.44\n');
    const refused = await cli('readings', 'import', '4712', file);
    expect([refused.rc, refused.err]).toEqual([1, expect.stringContaining('line 2: column "Sample": label "4711-P05" names billet "4711", another billet in this data folder: one file, one billet — import these readings into 4711')]);
    const listed = JSON.parse((await cli('points', 'list', '4712', '--json')).out) as { points: { n: number }[] };
    expect(listed.points.reduce((n, p) => n + p.n, 0)).toBe(0);
    // "3" is billet id 3 (heat 4712) and the name of billet id 4 (cast 3): taken as the id, cast 3's readings had gone to 4712
    expect((await cli('points', 'layout', String(cast3))).rc).toBe(0);
    writeFileSync(join(dir, 'cast-3.csv'), 'Sample,C\nP05,0.45\n');
    const ambiguous = await cli('readings', 'import', '3', join(dir, 'cast-3.csv'));
    expect([ambiguous.rc, ambiguous.err]).toEqual([2, expect.stringContaining('BILLET "3" names two billets: id 3 is "4712", and billet id 4 is named "3" — give id:3 for the first, id:4 for the second')]);
  });

  it('ids and names crossed (id 2 named "3", id 3 named "2"): id:N reaches either billet, and the refusal names it (task 25-E)', async () => {
    const ctx = createAppContext({ dataDir: dir, shell: 'cli' });
    const ids = ['3', '2'].map((name) => ctx.repos.billets.create({ name, nominalDiameterMm: 600 }).id);
    void ctx.close();
    expect(ids).toEqual([2, 3]);
    // fails before: "2" and "3" were both refused, and no other form reached either billet
    const refused = await cli('points', 'layout', '2');
    expect([refused.rc, refused.err]).toEqual([2, expect.stringContaining('BILLET "2" names two billets: id 2 is "3", and billet id 3 is named "2" — give id:2 for the first, id:3 for the second')]);
    expect((await cli('points', 'layout', 'id:3')).rc).toBe(0);
    writeFileSync(join(dir, 'cast-2.csv'), 'Sample,C\nP05,0.45\n');
    expect((await cli('readings', 'import', 'id:3', join(dir, 'cast-2.csv'))).rc).toBe(0);
    const listed = JSON.parse((await cli('points', 'list', 'id:3', '--json')).out) as { billetName: string; points: { label: string; n: number }[] };
    expect([listed.billetName, listed.points.filter((p) => p.n > 0).map((p) => p.label)]).toEqual(['2', ['P05']]);
    const none = await cli('points', 'list', 'id:9');
    expect(none.rc).not.toBe(0);
    const bad = await cli('points', 'list', 'id:x');
    expect([bad.rc, bad.err]).toEqual([2, expect.stringContaining('BILLET id')]);
  });

  it('--append: marked replicates are stored after the stored ones in mark order, as unmarked rows (task 25-G)', async () => {
    expect((await cli('points', 'layout', 'Heat 7')).rc).toBe(0);
    writeFileSync(join(dir, 'first.csv'), 'Sample,C\nP05,0.45\n');
    expect((await cli('readings', 'import', 'Heat 7', join(dir, 'first.csv'))).rc).toBe(0);
    writeFileSync(join(dir, 'second.csv'), 'Sample,C\nP05-R2,0.47\nP06-R1,0.44\n');
    expect((await cli('readings', 'import', 'Heat 7', join(dir, 'second.csv'), '--append')).rc).toBe(0);
    const reps = async () => (JSON.parse((await cli('points', 'list', 'Heat 7', '--json')).out) as { points: { label: string; readings: { replicateNo: number; carbonWtPct: number }[] }[] }).points
      .filter((p) => p.readings.length).map((p) => [p.label, p.readings.map((r) => [r.replicateNo, r.carbonWtPct])]);
    expect(await reps()).toEqual([['P05', [[1, 0.45], [2, 0.47]]], ['P06', [[1, 0.44]]]]);
    // a session that restarts its marks: fails before (refused as a mark on a stored replicate, though --dry-run passed)
    writeFileSync(join(dir, 'again.csv'), 'Sample,C\nP05-R2,0.48\nP05-R1,0.46\nP07,0.40\n');
    expect((await cli('readings', 'import', 'Heat 7', join(dir, 'again.csv'), '--append', '--dry-run')).rc).toBe(0);
    expect((await cli('readings', 'import', 'Heat 7', join(dir, 'again.csv'), '--append')).rc).toBe(0);
    expect(await reps()).toEqual([['P05', [[1, 0.45], [2, 0.47], [3, 0.46], [4, 0.48]]], ['P06', [[1, 0.44]]], ['P07', [[1, 0.4]]]]);
  });

  it('--billet of train, predict, gradcam, propose-points, correct, k-curve and reproduce is resolved as BILLET: a number that is an id and a name is refused, id:N reaches the id (task 25-G), an existing one as well (25-I)', async () => {
    const ctx = createAppContext({ dataDir: dir, shell: 'cli' });
    const ids = ['3', '2'].map((name) => ctx.repos.billets.create({ name, nominalDiameterMm: 600 }).id);
    void ctx.close();
    expect(ids).toEqual([2, 3]);
    const both = 'BILLET "2" names two billets: id 2 is "3", and billet id 3 is named "2" — give id:2 for the first, id:3 for the second';
    const runs = [
      ['segregation', 'train'], ['segregation', 'predict', '--model', '9'], ['segregation', 'gradcam', '--model', '9', '--point', 'P01', '--out', join(dir, 'cam')],
      ['segregation', 'propose-points', '--model', '9', '--k', '4'], ['segregation', 'correct', '--model', '9'], ['segregation', 'k-curve', '--model', '9'],
      ['reproduce', 'segregation', '--out', join(dir, 'rep')],
    ];
    const noReadings = 'Billet "2" has no sampling points with carbon readings';
    const reachedSays = [noReadings, 'Model 9 does not exist', 'Model 9 does not exist', 'Model 9 does not exist', 'Billet 3 has no point plan for model 9', 'Model 9 does not exist', noReadings];
    for (const args of runs) {
      // fails before: "2" was taken as id 2 without a word (train, predict … k-curve), and "id:3" refused as no id
      const r = await cli(...args, '--billet', '2');
      expect([args.join(' '), r.rc, r.err]).toEqual([args.join(' '), 2, expect.stringContaining(both)]);
      const forced = await cli(...args, '--billet', 'id:9');
      expect([args.join(' '), forced.rc, forced.err]).toEqual([args.join(' '), 1, expect.stringMatching(/billet 9|Billet 9|billet id 9/i)]);
      // id:N of an existing billet reaches it: billet id 3 (named "2") is the one the command then works on or names
      const reached = await cli(...args, '--billet', 'id:3');
      expect([args.join(' '), reached.rc, reached.err]).toEqual([args.join(' '), 1, expect.stringContaining(reachedSays[runs.indexOf(args)]!)]);
    }
    // the help line names the form
    expect((await cli('segregation', 'predict', '--help')).out).toMatch(/^usage: ferrolab segregation predict --model ID --billet BILLET/);
    expect((await cli('segregation', 'predict', '--help')).out).toMatch(/^BILLET: a billet's name or id; id:N is always/m);
  });
});
