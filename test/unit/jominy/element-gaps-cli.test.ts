import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cliInTempFolder } from '../../helpers/cli.js';
import { plantLikeJominyCsv } from '../../helpers/plant-jominy-csv.js';

/** Element gaps through the whole stack (issue 12): import stores nulls, never 0; training says which heats it left out and why. */

/** The in-process CLI (test/helpers/cli.ts) on this file's own data folder. */
const { dir, data, cli } = cliInTempFolder('ferrolab-jominy-gaps-cli-');

describe('ferrolab jominy with element gaps', () => {
  const plant = plantLikeJominyCsv({ n: 150, seed: 9, elementGaps: { Mo: 0.06, B: 0.4 }, missingToken: 'NA' });
  const file = join(dir, 'gaps.csv');
  writeFileSync(file, plant.text);
  const n = 150;
  const mo = plant.gaps.Mo;
  const b = plant.gaps.B;

  it('imports the gaps as missing, counts them per element, and stores them as SQL-readable nulls (never 0)', async () => {
    const imp = await cli('jominy', 'datasets', 'import', file, '--json');
    expect(imp.code).toBe(0);
    const ds = JSON.parse(imp.out);
    const byEl = Object.fromEntries(ds.elementGaps.elements.map((e: { element: string }) => [e.element, e]));
    expect(byEl.Mo).toMatchObject({ measured: n - mo, missing: mo, input: true });
    expect(byEl.B).toMatchObject({ measured: n - b, missing: b, input: false });
    const text = await cli('jominy', 'datasets', 'import', file, '--name', 'again');
    expect(text.out).toContain(`heats that analysed each element (of ${n}; an empty cell is missing, never 0; a model takes an element analysed on at least 80 % of the heats`);
    expect(text.out).toMatch(new RegExp(`B\\s+${n - b} \\(${+(100 * (n - b) / n).toFixed(1)} %\\), ${b} missing — not a model input`));

    const db = new Database(join(data, 'ferrolab.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare("SELECT heat_id AS heat, json_extract(chemistry_json, '$.Mo') AS mo, json_type(chemistry_json, '$.Mo') AS t, json_extract(chemistry_json, '$.B') AS b FROM jominy_samples WHERE dataset_id = ?").all(ds.id) as { heat: string; mo: number | null; t: string; b: number | null }[];
      expect(rows).toHaveLength(n);
      expect(rows.filter((r) => r.t === 'null')).toHaveLength(mo);
      expect(rows.filter((r) => r.b === null)).toHaveLength(b);
      // cell by cell against the file: a gap ("NA") is a stored null, every other cell its value (a 0 only where the file says 0)
      const lines = plant.text.split('\n').filter((l) => l && !l.startsWith('#'));
      const cols = lines[0].split(',');
      const cell = new Map(lines.slice(1).map((l) => { const c = l.split(','); return [c[0], { mo: c[cols.indexOf('Mo')], b: c[cols.indexOf('B')] }]; }));
      for (const r of rows) {
        const f = cell.get(r.heat)!;
        expect(r.mo).toBe(f.mo === 'NA' ? null : Number(f.mo));
        expect(r.b).toBe(f.b === 'NA' ? null : Number(f.b));
      }
    } finally {
      db.close();
    }
    const show = await cli('jominy', 'datasets', 'show', String(ds.id), '--json');
    expect(JSON.parse(show.out).coverage.elementGaps.elements.find((e: { element: string }) => e.element === 'Mo').measured).toBe(n - mo);
    const page = JSON.parse((await cli('jominy', 'datasets', 'grades', String(ds.id), '--json')).out) as { n: number; chemistry: Record<string, { n: number }> }[];
    expect(page.reduce((a, g) => a + g.chemistry.Mo.n, 0)).toBe(n - mo);
  });

  it('trains on the heats that analysed every input, says how many it left out and why, and leaves B out of the inputs', async () => {
    const t = await cli('jominy', 'train', '--dataset', '1', '--seed', '2', '--max-hidden', '2', '--epochs', '10', '--ensemble', '2', '--json');
    expect(t.code).toBe(0);
    const m = JSON.parse(t.out);
    expect(m.inputHeats).toEqual({
      minShare: 0.8,
      datasetHeats: n,
      usedHeats: n - mo,
      inputElements: ['C', 'Mn', 'Si', 'Cr', 'Ni', 'Mo', 'Ti'],
      dropped: [{ element: 'B', measured: n - b, share: (n - b) / n }],
      leftOut: mo,
      leftOutBy: [{ element: 'Mo', heats: mo }],
      rowsLeftOutInUsed: 0,
    });
    expect(m.split.train + m.split.validation + m.split.test).toBe(n - mo);
    // the ensemble resamples, and its calibration scores, the used heats only
    expect(m.uncertainty.fitHeats).toBe(m.split.train + m.split.validation);
    expect(m.uncertainty.heats).toBe(m.split.test);
    expect(m.usedElements).not.toContain('B');
    expect(m.inputs.every((i: { elements: string[] }) => !i.elements.includes('B'))).toBe(true);
    const show = await cli('jominy', 'models', 'show', String(m.id));
    expect(show.out).toContain(`element gaps: B is not an input: analysed on ${n - b} of ${n} heats`);
    expect(show.out).toContain(`element gaps: ${mo} of ${n} heats left out: they lack an input element (Mo on ${mo}); the model learnt and was scored on the other ${n - mo}`);
    // predicting never needs the gaps: the chemistry is the user's, B not asked for
    const p = await cli('jominy', 'predict', '--model', String(m.id), '--chem', 'C=0.40,Mn=0.85,Si=0.25,Cr=1.0,Ni=0.2,Mo=0.2,Ti=0.02', '--json');
    expect(p.code).toBe(0);
    expect(JSON.parse(p.out).profile.length).toBeGreaterThan(5);
  });

  it('with a lower threshold takes B, and leaves out every heat that lacks it', async () => {
    const t = await cli('jominy', 'train', '--dataset', '1', '--seed', '2', '--max-hidden', '2', '--epochs', '10', '--ensemble', '0', '--min-element-share', '0.5', '--json');
    expect(t.code).toBe(0);
    const m = JSON.parse(t.out);
    expect(m.inputHeats.dropped).toEqual([]);
    expect(m.inputHeats.inputElements).toContain('B');
    expect(m.inputHeats.leftOutBy).toEqual([{ element: 'Mo', heats: mo }, { element: 'B', heats: b }]);
    expect(m.split.train + m.split.validation + m.split.test).toBe(m.inputHeats.usedHeats);
    expect(m.inputHeats.usedHeats).toBeLessThanOrEqual(n - b);
    // import and train in one go: the gaps per element are said on the way
    const both = await cli('jominy', 'train', file, '--seed', '2', '--max-hidden', '1', '--epochs', '3', '--ensemble', '0', '--json');
    expect(both.code).toBe(0);
    expect(both.err).toMatch(new RegExp(`Mo\\s+${n - mo} \\(${+(100 * (n - mo) / n).toFixed(1)} %\\), ${mo} missing\n`));
    expect(JSON.parse(both.out).inputHeats.usedHeats).toBe(n - mo);
    const bad = await cli('jominy', 'train', '--dataset', '1', '--min-element-share', '80');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--min-element-share: a share of the heats, 0–1');
  });
});
