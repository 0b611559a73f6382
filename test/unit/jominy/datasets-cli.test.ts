import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliInTempFolder } from '../../helpers/cli.js';
import { plantLikeJominyCsv } from '../../helpers/plant-jominy-csv.js';
import { createAppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';

/** The in-process CLI (test/helpers/cli.ts) on this file's own data folder. */
const { dir, data, cli } = cliInTempFolder('ferrolab-jominy-datasets-cli-');

describe('ferrolab jominy datasets (import as it comes, coverage, grades)', () => {
  const plant = plantLikeJominyCsv({ n: 160, seed: 8 });
  const file = join(dir, 'plant.csv');
  writeFileSync(file, plant.text);

  it('imports a plant-like file, stores its layout, and shows coverage of distances × elements and per grade', async () => {
    const bad = await cli('jominy', 'datasets', 'import', file, '--distance-unit', 'mm');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('the file declares distances in sixteenths but the import was asked for mm');
    const imp = await cli('jominy', 'datasets', 'import', file, '--json');
    expect(imp.code).toBe(0);
    const ds = JSON.parse(imp.out);
    expect(ds.layout).toMatchObject({ unit: 'sixteenths', elements: ['C', 'Mn', 'Si', 'Cr', 'Ni', 'Mo', 'B', 'Ti'] });
    expect(ds.layout.labels.slice(0, 3)).toEqual(['J1', 'J2', 'J3']);
    const show = await cli('jominy', 'datasets', 'show', String(ds.id));
    expect(show.code).toBe(0);
    expect(show.out).toContain('160 heats; 15 distances J1…J28 (sixteenths of an inch); elements C Mn Si Cr Ni Mo B Ti');
    expect(show.out).toContain('elements not in the dataset: P S Cu Nb Sn Al V');
    // every heat measured J1 and has C; the J28 row counts only the heats that measured it, and the same for each element
    const j28 = show.out.split('\n').find((l) => l.startsWith('J28 (44.45 mm)'))!;
    const n28 = Number(j28.split(/\s+/)[3]);
    expect(n28).toBeLessThan(40);
    expect(j28.trim().split(/\s+/).slice(3)).toEqual(Array(9).fill(String(n28)));
    expect(show.out).toMatch(/^J1 \(1\.59 mm\)\s+160\s+160/m);
    expect(show.out).toContain('heats per grade and distance:');
    expect(show.out).toMatch(/heats have readings converted from HV \(ASTM E140, Table 1/);
    expect(show.out).toContain('160 heats have two flats per distance');
    const json = JSON.parse((await cli('jominy', 'datasets', 'show', String(ds.id), '--json')).out);
    expect(json.coverage.cells[0][14]).toBe(0); // V: absent, no heat counted
    expect(json.coverage.grades.reduce((a: number, g: { n: number }) => a + g.n, 0)).toBe(160);
  });

  it('gives per-grade statistics, filtered to one grade, counting only measured readings', async () => {
    const list = JSON.parse((await cli('jominy', 'datasets', 'list', '--json')).out);
    const id = String(list[0].id);
    const all = JSON.parse((await cli('jominy', 'datasets', 'grades', id, '--json')).out);
    expect(all.length).toBeGreaterThan(1);
    const g = all[0];
    const one = await cli('jominy', 'datasets', 'grades', id, '--grade', g.grade);
    expect(one.code).toBe(0);
    expect(one.out).toContain(`grade ${g.grade}: ${g.n} heats`);
    expect(g.measured[0]).toBe(g.n);
    expect(g.measured[14]).toBeLessThan(g.n);
    expect(Object.keys(g.chemistry)).toEqual(['C', 'Mn', 'Si', 'Cr', 'Ni', 'Mo', 'B', 'Ti']);
    const none = await cli('jominy', 'datasets', 'grades', id, '--grade', 'no such grade');
    expect(none.code).toBe(1);
    expect(none.err).toContain('has no heats of grade "no such grade"');
  });

  it('trains on the imported file: the model’s points are the dataset’s distances measured by enough heats', async () => {
    const tr = await cli('jominy', 'train', file, '--seed', '3', '--epochs', '20', '--max-hidden', '2', '--json');
    expect(tr.code, tr.err).toBe(0);
    const model = JSON.parse(tr.out);
    const detail = JSON.parse((await cli('jominy', 'models', 'show', String(model.id ?? model.modelId), '--json')).out);
    expect(detail.pointsLayout.labels.slice(0, 12)).toEqual(['J1', 'J2', 'J3', 'J4', 'J5', 'J6', 'J7', 'J8', 'J10', 'J12', 'J14', 'J16']);
    expect(detail.pointsLayout.skipped.map((s: { label: string }) => s.label)).toContain('J28');
    expect(detail.usedElements.every((el: string) => ['C', 'Mn', 'Si', 'Cr', 'Ni', 'Mo', 'B', 'Ti'].includes(el))).toBe(true);
    expect(detail.baselines.points).toHaveLength(detail.pointsLayout.distancesMm.length);
    expect(detail.pointsLayout.elements).toEqual(['C', 'Mn', 'Si', 'Cr', 'Ni', 'Mo', 'B', 'Ti']);
    const show = await cli('jominy', 'models', 'show', String(model.id ?? model.modelId));
    expect(show.out).toMatch(/^points: J1 \(1\.59 mm\), J2 \(3\.17 mm\)/m);
    expect(show.out).toMatch(/^skipped \(too few heats measured them; a point needs 20 training, 5 validation and 3 test heats\): .*J28/m);
    // predicted at the 15 standard distances: those past the last model point are marked, not passed off; 1.5 mm lies
    // 0.09 mm before J1, within the 0.1 mm a design target may lie there (HELD_END_TOLERANCE_MM): not marked
    const p = await cli('jominy', 'predict', '--model', String(model.id ?? model.modelId), '--chem', 'C=0.2,Mn=1.1,Si=0.25,Cr=1.0,Ni=0.1,Mo=0.02,B=0.0002,Ti=0.03');
    expect(p.code, p.err).toBe(0);
    expect(p.out).toMatch(/^ 1\.5 +\d+\.\d +\d/m);
    expect(p.out).toMatch(/^  50 +\d+\.\d~/m);
    expect(p.out).toMatch(/^  13 +\d+\.\d /m);
    expect(p.out).toContain("~ beyond the predictor's first or last point");
    // a CLI design: the refusal of 40–50 mm (beyond J24 = 38.1 mm) is followed by the --target to type, whose - entries
    // leave those distances empty; that target designs
    const id = String(model.id ?? model.modelId);
    const ga = ['--pop', '8', '--gens', '2', '--top', '1', '--seed', '2'];
    const refused = await cli('jominy', 'design', '--model', id, '--target', '50,49,47,44,41,38,36,34,31,29,28,27,26,25,24', ...ga);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('the target sets 40, 45, 50 mm, beyond the predictor');
    expect(refused.err).toContain('to design without them: --target "50,49,47,44,41,38,36,34,31,29,28,27,-,-,-" (- leaves a distance empty)');
    const designed = await cli('jominy', 'design', '--model', id, '--target', '50,49,47,44,41,38,36,34,31,29,28,27,-,-,-', ...ga, '--json');
    expect(designed.code, designed.err).toBe(0);
    const session = JSON.parse(designed.out);
    expect(session.target).toEqual({ kind: 'curve', hardness: [50, 49, 47, 44, 41, 38, 36, 34, 31, 29, 28, 27, null, null, null] });
    // an entry that is neither a number nor empty/- is still refused, naming its distance
    const bad = await cli('jominy', 'design', '--model', id, '--target', '50,49,47,44,41,38,36,34,31,29,28,27,x,-,-', ...ga);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--target at 40 mm: "x"');
  });

  it('reads a file saved as Excel "Unicode text" (UTF-16) or by an old Windows PC (Windows-1252) as the readings import does (task 24-D)', async () => {
    // Read as UTF-8 whatever its bytes, a Windows-1252 grade "Stahl Ö" was stored as "Stahl \uFFFD" — "Stahl Ü" too,
    // so two grades became one (grade means, per-grade statistics, by-grade splits) — and a UTF-16 file was refused
    // with every header spelt "\0C\0" as an unknown column.
    const text = '# distance-unit: mm\r\nheat\tgrade\tC\tMn\tJ1.5\tJ3\tJ5\r\nH1\tStahl Ö\t0.40\t0.80\t56\t55\t53\r\nH2\tStahl Ü\t0.41\t0.80\t57\t55\t52\r\n';
    const forms: [string, Buffer][] = [
      ['utf16le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['cp1252.csv', Buffer.from(text.replace('Ö', '\xd6').replace('Ü', '\xdc'), 'latin1')],
    ];
    for (const [name, bytes] of forms) {
      const f = join(dir, name);
      writeFileSync(f, bytes);
      const imp = await cli('jominy', 'datasets', 'import', f, '--json');
      expect(imp.code, imp.err).toBe(0);
      const grades = JSON.parse((await cli('jominy', 'datasets', 'grades', String(JSON.parse(imp.out).id), '--json')).out);
      expect(grades.map((g: { grade: string; n: number; mean: number[] }) => [g.grade, g.n, g.mean])).toEqual([['Stahl Ö', 1, [56, 55, 53]], ['Stahl Ü', 1, [57, 55, 52]]]);
    }
  });
});

// Task 27-C: `datasets grades --grade X` (and the data page's heats of one grade) filtered rows by their own stored
// grade, where everything else takes a heat's grade from its first row. Fails before: a retest of A's heat H1 stored
// naming B (before the import made a heat one grade) was a second heat of B under --grade B and missing from A.
describe('one grade of a dataset is the heats of that grade (a heat\'s grade is its first row\'s)', () => {
  it('datasets grades --grade and the samples page of a grade follow the heat, as the all-grades statistics do', async () => {
    const csv = join(dir, 'two-grade-heat.csv');
    writeFileSync(csv, ['# distance-unit: mm', 'heat_id,grade,C,Mn,J1.5,J5', 'H1,A,0.40,0.80,55,45', 'H2,A,0.41,0.80,54,44', 'H3,B,0.20,0.70,44,30', 'H1,A,0.40,0.80,53,43', ''].join('\n'));
    const ds = JSON.parse((await cli('jominy', 'datasets', 'import', csv, '--json')).out);
    const { openDatabase, closeDatabase } = await import('../../../core/store/index.js');
    const { db } = openDatabase(join(data, 'ferrolab.sqlite'));
    // the retest as a dataset stored before the import made a heat one grade holds it
    expect(db.prepare("UPDATE jominy_samples SET grade = 'B' WHERE dataset_id = ? AND line_no = 6").run(ds.id).changes).toBe(1);
    closeDatabase(db);
    const view = (g: { grade: string; n: number; rows: number; mean: number[] }) => [g.grade, g.n, g.rows, g.mean];
    const all = JSON.parse((await cli('jominy', 'datasets', 'grades', String(ds.id), '--json')).out).map(view);
    // H1's two bars averaged into its one value (54, 44); A's mean over H1 and H2
    expect(all).toEqual([['A', 2, 3, [54, 44]], ['B', 1, 1, [44, 30]]]);
    expect(JSON.parse((await cli('jominy', 'datasets', 'grades', String(ds.id), '--grade', 'B', '--json')).out).map(view)).toEqual([all[1]]);
    expect(JSON.parse((await cli('jominy', 'datasets', 'grades', String(ds.id), '--grade', 'A', '--json')).out).map(view)).toEqual([all[0]]);
    const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
    try {
      const api = localClient(ctx);
      const page = (grade: string, offset = 0, limit = 200) => api['jominy.datasets.samples']({ id: ds.id, grade, offset, limit });
      const b = await page('B');
      expect([b.total, b.samples.map((s) => s.lineNo)]).toEqual([1, [5]]);
      const a = await page('A', 1, 1);
      expect([a.total, a.samples.map((s) => s.lineNo)]).toEqual([3, [4]]);
    } finally {
      await ctx.close();
    }
  });
});

// An ⅛-inch lab sheet (J2, J4 … J16, J20 … J32) with no declared unit had been stored as 2, 4 … 32 mm, "12 distances
// J2…J32 (mm)", without a word: as sixteenths its J32 is 50.8 mm. Fails before: the import succeeded.
describe('an undeclared whole-number layout that could be sixteenths is refused at import, nothing stored', () => {
  it('datasets import names the ambiguity and the one line that settles it; declared, it imports in its unit', async () => {
    const even = [2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32];
    const heat = (id: string, c: number) => `${id},42CrMo4,${c},0.80,0.25,1.00,0.20,${even.map((_, k) => 56 - 2 * k).join(',')}`;
    const csv = join(dir, 'six-even12.csv');
    writeFileSync(csv, [`heat_id,grade,C,Mn,Si,Cr,Mo,${even.map((n) => `J${n}`).join(',')}`, heat('H1', 0.4), heat('H2', 0.41), ''].join('\n'));
    const before = JSON.parse((await cli('jominy', 'datasets', 'list', '--json')).out).length;
    const r = await cli('jominy', 'datasets', 'import', csv, '--name', 'x');
    expect(r.code).toBe(1);
    expect(r.err).toContain('line 1: the distance columns J2, J4, J6, J8, J10, J12, J14, J16, J20, J24, J28, J32 are ambiguous: whole numbers could be sixteenths of an inch (ASTM A255: J1 = 1.59 mm, J2 = 3.18 mm …; J32 would be 50.8 mm)');
    expect(r.err).toContain('"# distance-unit: mm" above the header');
    expect(JSON.parse((await cli('jominy', 'datasets', 'list', '--json')).out)).toHaveLength(before);
    const six = JSON.parse((await cli('jominy', 'datasets', 'import', csv, '--name', 'x', '--distance-unit', 'sixteenths', '--json')).out);
    expect(six.layout).toMatchObject({ unit: 'sixteenths', distancesMm: [3.175, 6.35, 9.525, 12.7, 15.875, 19.05, 22.225, 25.4, 31.75, 38.1, 44.45, 50.8] });
  });
});
