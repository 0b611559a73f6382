import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempContext } from '../../helpers/temp.js';
import { localClient } from '../../../core/app/dispatch.js';
import { layoutPoints } from '../../../core/segregation/index.js';
import { createPointsRepo } from '../../../core/store/repos/points-repo.js';
import { createReadingsRepo } from '../../../core/store/repos/readings-repo.js';
import type { ReportWorkerInput } from '../../../core/report/report-in-worker.js';
import { parsePdf } from './helpers.js';

// What the report worker is handed (the maps' render options): the PDF's maps are pictures, their words not text to read.
const handed: ReportWorkerInput[] = [];
vi.mock('../../../core/report/report-in-worker.js', async (importActual) => {
  const actual = await importActual<typeof import('../../../core/report/report-in-worker.js')>();
  return {
    ...actual,
    buildMapReportInWorker: (input: ReportWorkerInput, signal?: AbortSignal) => {
      handed.push(input);
      return actual.buildMapReportInWorker(input, signal);
    },
  };
});

/**
 * The plant fields typed for a report (`--grade`, `--heat`, the Maps form) are what the page's header prints; the
 * map picture's subtitle printed the billet's stored grade and heat beside them, so one page named two heats.
 */
describe('plant grade and heat on the report page and its map pictures', () => {
  const ctx = tempContext();
  const api = localClient(ctx);
  let billetId = 0;

  beforeAll(() => {
    const b = ctx.repos.billets.create({ name: 'billet 12', nominalDiameterMm: 400, steelGrade: 'C45', heat: 'H-0001' });
    billetId = b.id;
    const pts = layoutPoints({ diameterMm: 400 });
    createPointsRepo(ctx.db).replaceAll(b.id, pts, 'layout:hex85', false);
    for (const p of pts) createReadingsRepo(ctx.db).setValues(b.id, p.label, [Number((0.4 + 0.04 * (1 - (p.xMm ** 2 + p.yMm ** 2) / 200 ** 2)).toFixed(4))]);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('the map picture names the grade and heat the header prints', async () => {
    const r = await api['maps.report']({ billetId, settings: { cellsAcross: 41 }, plant: { grade: '42CrMo4', heat: 'H-4711' } });
    const text = parsePdf(readFileSync(join(ctx.paths.root, r.path))).text[0].replace(/\s+/g, ' ');
    expect(text).toContain('Steel grade: 42CrMo4');
    expect(text).toContain('Heat: H-4711');
    const subtitle = handed.at(-1)!.maps[0].render.subtitle!;
    expect(subtitle).toContain('42CrMo4');
    expect(subtitle).toContain('H-4711');
    expect(subtitle).not.toContain('C45');
    expect(subtitle).not.toContain('H-0001');
    // without plant fields, the billet's own
    await api['maps.report']({ billetId, settings: { cellsAcross: 41 } });
    expect(handed.at(-1)!.maps[0].render.subtitle).toMatch(/C45 · heat H-0001/);
  });
});
