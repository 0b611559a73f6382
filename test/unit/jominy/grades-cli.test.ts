import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliInTempFolder } from '../../helpers/cli.js';

/** The in-process CLI (test/helpers/cli.ts) on this file's own data folder. */
const { dir, cli } = cliInTempFolder('ferrolab-jominy-grades-cli-');

describe('ferrolab jominy grades', () => {
  it('adds (with a band file), lists and deletes grades; refuses a value over the element limits in the shared words', async () => {
    const over = await cli('jominy', 'grades', 'add', '--name', '42CrMo4', '--range', 'C=0.38:0.43,Mo=0.15:3');
    expect(over.code).toBe(2);
    expect(over.err).toContain('--range: Mo 3 wt.% is above the limit of 1.5 wt.%');
    const band = join(dir, 'band.csv');
    writeFileSync(band, 'distance_mm,min,max\n1.5,53,60\n9,45,58\n');
    const add = await cli('jominy', 'grades', 'add', '--name', '42CrMo4', '--range', 'C=0.38:0.43,Mn=0.75:1.0,Cr=0.9:1.2,Mo=0.15:0.3', '--band', band, '--json');
    expect(add.code).toBe(0);
    const g = JSON.parse(add.out);
    expect(g).toMatchObject({ name: '42CrMo4', ranges: { C: [0.38, 0.43], Mn: [0.75, 1.0], Cr: [0.9, 1.2], Mo: [0.15, 0.3] } });
    expect(g.band.min[0]).toBe(53);
    expect(g.band.max[4]).toBe(58);
    expect(g.band.min[1]).toBeNull();
    expect((await cli('jominy', 'grades', 'add', '--name', '20MnCr5', '--range', 'C=0.17:0.22')).code).toBe(0);
    const list = await cli('jominy', 'grades', 'list');
    expect(list.code).toBe(0);
    expect(list.out.trimEnd().split('\n')).toEqual([`   2  20MnCr5: C 0.17–0.22`, `   1  42CrMo4: C 0.38–0.43, Mn 0.75–1, Cr 0.9–1.2, Mo 0.15–0.3; H-band`]);
    const del = await cli('jominy', 'grades', 'delete', '--grade', '42CrMo4');
    expect(del.code).toBe(0);
    expect(del.out).toContain('deleted grade 1 "42CrMo4"');
    const gone = await cli('jominy', 'grades', 'delete', '--grade', '42CrMo4');
    expect(gone.code).toBe(2);
    expect(gone.err).toContain('no grade "42CrMo4" (grades: 20MnCr5)');
    expect(JSON.parse((await cli('jominy', 'grades', 'list', '--json')).out).map((x: { name: string }) => x.name)).toEqual(['20MnCr5']);
    // a band file giving a distance twice is refused naming both lines, and no grade is stored (the last line had won)
    const dup = join(dir, 'band-dup.csv');
    writeFileSync(dup, 'distance_mm,min,max\n1.5,52,59\n1.5,50,57\n20,30,41\n');
    const twice = await cli('jominy', 'grades', 'add', '--name', '42CrMo4', '--range', 'C=0.38:0.43', '--band', dup);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('band file lines 2 and 3 both give 1.5 mm ("1.5,52,59" and "1.5,50,57"): a distance has one band line; delete the one that is wrong');
    expect(JSON.parse((await cli('jominy', 'grades', 'list', '--json')).out).map((x: { name: string }) => x.name)).toEqual(['20MnCr5']);
  });

  it('designs inside a grade chosen by name and prints where the ranges came from', async () => {
    const csv = join(dir, 'heats.csv');
    expect((await cli('jominy', 'synth', '--n', '120', '--seed', '7', '--out', csv)).code).toBe(0);
    const model = JSON.parse((await cli('jominy', 'train', csv, '--seed', '2', '--max-hidden', '2', '--epochs', '20', '--json')).out);
    const target = Array(15).fill(30).join(',');
    const d = await cli('jominy', 'design', '--model', String(model.id), '--target', target, '--grade', '20MnCr5', '--pop', '12', '--gens', '3', '--top', '2');
    expect(d.code).toBe(0);
    expect(d.out).toContain('ranges: grade 20MnCr5; other elements data P1–P99 (C 0.17–0.22)');
    const j = JSON.parse((await cli('jominy', 'design', '--model', String(model.id), '--target', target, '--grade', '20MnCr5', '--pop', '12', '--gens', '3', '--top', '2', '--json')).out);
    expect(j.settings.grade).toMatchObject({ name: '20MnCr5', ranges: { C: [0.17, 0.22] } });
    for (const r of j.results) expect(r.chemistry.C >= 0.17 && r.chemistry.C <= 0.22).toBe(true);
    const free = await cli('jominy', 'design', '--model', String(model.id), '--target', target, '--pop', '12', '--gens', '3', '--top', '2');
    expect(free.out).toContain('ranges: data P1–P99');
  });
});
