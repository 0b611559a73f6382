import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tempDir } from '../../helpers/temp.js';
import { createAppContext } from '../../../core/app/context.js';
import { layoutPoints } from '../../../core/segregation/index.js';
import { createPointsRepo } from '../../../core/store/repos/points-repo.js';
import { createReadingsRepo } from '../../../core/store/repos/readings-repo.js';
import { parsePdf } from '../report/helpers.js';
import { hullCoveredFraction, predictedMap } from '../../../core/maps/index.js';
import { createPredictedMapsRepo } from '../../../core/store/repos/predicted-maps-repo.js';
import { cliEntry } from '../../helpers/cli-bundle.js';

// The real CLI in a child process (bundled once: test/helpers/cli-bundle.ts).
let entry: string;
beforeAll(async () => {
  entry = await cliEntry();
});
const cli = (args: string[]) => spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8' });

describe('ferrolab map (CLI)', () => {
  const t = tempDir();
  let predictionId = 0;
  beforeAll(async () => {
    const ctx = createAppContext({ dataDir: t.dir, shell: 'cli', backend: 'cpu' });
    const b = ctx.repos.billets.create({ name: 'CLI billet 9', nominalDiameterMm: 400, steelGrade: '42CrMo' });
    const pts = layoutPoints({ diameterMm: 400 });
    createPointsRepo(ctx.db).replaceAll(b.id, pts, 'layout:hex85', false);
    // C = 0.40 + 0.04·(1 − ρ²): no ladle carbon entered, so C0 is the section mean
    for (const p of pts) createReadingsRepo(ctx.db).setValues(b.id, p.label, [Number((0.4 + 0.04 * (1 - (p.xMm ** 2 + p.yMm ** 2) / 200 ** 2)).toFixed(4))]);
    // a stored predicted map (no model run here): the smooth field plus a deterministic patch-to-patch ripple
    const pm = await predictedMap(async (cs) => cs.map(({ xMm, yMm }) => ({ mean: 0.4 + 0.04 * (1 - (xMm ** 2 + yMm ** 2) / 200 ** 2) + 0.006 * Math.sin(xMm * 12.9898 + yMm * 78.233), sd: 0.003 })), { radiusMm: 200, strideMm: 10 });
    predictionId = createPredictedMapsRepo(ctx.db).create({ billetId: b.id, modelId: null, modelName: 'stored', strideMm: 10, patchCount: pm.patchCount, maskedCount: 0, grid: pm.grid, points: [], backend: null, params: {}, smoothed: null }).id;
    await ctx.close();
  });
  afterAll(() => t.cleanup());

  it('prints the indices as JSON and writes the PDF, PNG and CSV asked for', async () => {
    const out = (f: string) => join(t.dir, 'out', f);
    const r = cli(['map', 'CLI billet 9', '--measured', '--json', '--data', t.dir, '--pdf', out('r.pdf'), '--png', out('m.png'), '--csv', out('g.csv'), '--paper', 'Letter', '--cells', '61']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.layer).toBe('measured');
    expect(j.c0Source).toBe('section-mean');
    expect(j.indices.centre.wtPct).toBeCloseTo(0.44, 2);
    expect(j.indices.sectionMeanWtPct).toBeGreaterThan(0.415);
    expect(j.indices.sectionMeanWtPct).toBeLessThan(0.425);
    expect(Object.keys(j.files).sort()).toEqual(['csv', 'pdf', 'png']);
    const png = await sharp(readFileSync(out('m.png'))).metadata();
    expect(png.width).toBe(1000);
    const pdf = parsePdf(readFileSync(out('r.pdf')));
    expect(pdf.sizes[0]).toEqual({ width: 612, height: 792 });
    expect(pdf.text[0]).toContain('CLI billet 9');
    expect(readFileSync(out('g.csv'), 'utf8').split('\n')[0]).toBe('x_mm,y_mm,r_over_R,carbon_wt_pct,c_over_c0,c0_wt_pct,c0_source,masked,extrapolated,in_indices');
    // the PNG and CSV are written where asked and nowhere else: under reports/ only the stored PDF report
    const stored = readdirSync(join(t.dir, 'reports'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(stored.map((e) => e.name).filter((n) => !n.endsWith('.pdf'))).toEqual([]);
    expect(stored).toHaveLength(1);
    // --raw-mosaic only means something for a predicted map
    const bad = cli(['map', 'CLI billet 9', '--measured', '--raw-mosaic', '--data', t.dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--raw-mosaic applies to a predicted map/);
  });

  it('prints the plant-report fields given as flags into the PDF, with the acceptance class from --accept', () => {
    const out = (f: string) => join(t.dir, 'out', f);
    const r = cli(['map', 'CLI billet 9', '--measured', '--json', '--data', t.dir, '--cells', '61', '--pdf', out('plant.pdf'), '--heat', 'H-4711', '--etchant', 'hot HCl 1:1', '--analyser-method', 'OES spark', '--signed-off-by', 'C. Chief', '--accept', 'A=1.02', '--accept', 'B=1.20']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    // measured map: indices over the points' hull, the rim beyond the outermost ring left out and counted
    expect(j.indices.extrapolatedFraction).toBeGreaterThan(0);
    expect(j.indices.coverageRule).toMatch(/convex hull/);
    const max = j.indices.max.ratio as number;
    expect(max).toBeGreaterThan(1.02); // centre ≈ 0.44 over a mean ≈ 0.42: class B, not A
    expect(max).toBeLessThan(1.2);
    // the class the PDF prints is in the JSON too, with the figure it was decided on (a measured map: no interval)
    // one reference C0 for the class: no ladle carbon here, and the measured map decides, so its area mean (stated in the JSON)
    expect(j.acceptance.c0Source).toBe('measured-area-mean');
    expect(j.acceptance.c0WtPct).toBeCloseTo(j.indices.sectionMeanWtPct, 12);
    const ratio = j.indices.max.wtPct / j.acceptance.c0WtPct;
    const covered = ((j.acceptance.measuredCoveredFraction as number) * 100).toFixed(1);
    // the covered share for the rule is the points' exact hull area over the section's, not a count of the 61-cell grid
    expect(j.acceptance.measuredCoveredFraction).toBeCloseTo(hullCoveredFraction(layoutPoints({ diameterMm: 400 }), 200), 12);
    const top = j.acceptance.readingMaxRatio as number;
    expect(top).toBeGreaterThanOrEqual(ratio - 1e-9); // the spline stays within the readings' range
    const verdict = `max C/C0 ${ratio.toFixed(4)} ≤ 1.200 → class B (${j.acceptance.measuredPoints} points, covering ${covered} % of the section); highest reading (${j.acceptance.readingMaxLabel}): max C/C0 ${top.toFixed(4)} ≤ 1.200 → class B; readings: no interval: no replicate readings (no point read twice; analyser repeatability not included)`;
    expect(j.acceptance).toMatchObject({ className: 'B', decidedBy: 'map', measuredRatio: null, upperRatio: null, pointEstimateOnly: false, modelOnly: false, measuredDecides: true, headline: 'Class B', verdict });
    expect(j.acceptance.maxRatio).toBeCloseTo(ratio, 12);
    const plain = cli(['map', 'CLI billet 9', '--measured', '--data', t.dir, '--cells', '61', '--pdf', out('plant2.pdf'), '--accept', 'A=1.02', '--accept', 'B=1.20']);
    // the C0 behind the class is printed on its line (test fails before: not stated)
    expect(plain.stdout).toContain(`acceptance (C0 = ${(j.acceptance.c0WtPct as number).toFixed(4)} wt.%, area mean of the measured map over the area its points cover): Class B — ${verdict}`);
    const text = parsePdf(readFileSync(out('plant.pdf'))).text.join('\n');
    for (const s of ['H-4711', 'hot HCl 1:1', 'OES spark', 'Signed off by: C. Chief', 'Class B', `max C/C0 ${ratio.toFixed(4)} ≤ 1.200 → class B`, 'A: max C/C0 ≤ 1.020; B: max C/C0 ≤ 1.200', 'Extrapolated (left out)']) expect(text).toContain(s);
    const bad = cli(['map', 'CLI billet 9', '--measured', '--data', t.dir, '--pdf', out('x.pdf'), '--accept', 'A=1,1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--accept: acceptance limit "1,1"');
    const noPdf = cli(['map', 'CLI billet 9', '--measured', '--data', t.dir, '--etchant', 'nital']);
    expect(noPdf.status).toBe(2);
    expect(noPdf.stderr).toContain('add --pdf FILE');
  });

  it('a predicted map is drawn smoothed (its fit in the JSON), or as the raw patch mosaic with --raw-mosaic', () => {
    const sm = cli(['map', 'CLI billet 9', '--prediction', String(predictionId), '--json', '--data', t.dir]);
    expect(sm.stderr).toBe('');
    const js = JSON.parse(sm.stdout);
    expect(js.smoothing.selection).toBe('leave-one-out cross-validation');
    expect(js.method).toMatch(/^Smoothed CNN prediction/);
    const raw = cli(['map', 'CLI billet 9', '--prediction', String(predictionId), '--raw-mosaic', '--json', '--data', t.dir]);
    expect(raw.stderr).toBe('');
    const jr = JSON.parse(raw.stdout);
    expect(jr.smoothing).toBeNull();
    expect(jr.method).toMatch(/^Raw patch mosaic/);
    // the ripple is patch noise to the smoother: the smoothed section is calmer than the mosaic
    expect(js.indices.sdWtPct).toBeLessThan(jr.indices.sdWtPct);
  });

  it('explains a missing map choice (exit 2) and an unknown billet', () => {
    const r = cli(['map', 'CLI billet 9', '--data', t.dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--measured, or --model ID');
    const u = cli(['map', 'no such billet', '--measured', '--data', t.dir]);
    expect(u.status).not.toBe(0);
    expect(u.stderr).toContain('No billet named "no such billet"');
  });
});
