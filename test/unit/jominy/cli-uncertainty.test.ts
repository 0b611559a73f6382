import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliInTempFolder } from '../../helpers/cli.js';

/** The in-process CLI (test/helpers/cli.ts) on this file's own data folder. */
const { dir, cli } = cliInTempFolder('ferrolab-jominy-unc-');

describe('ferrolab jominy: ensemble, intervals, tolerances', () => {
  it('train --ensemble shows the held-out coverage; design --tolerance shows P(meet band), intervals and the domain distance', async () => {
    const csv = join(dir, 'heats.csv');
    expect((await cli('jominy', 'synth', '--n', '150', '--seed', '3', '--out', csv)).code).toBe(0);
    const t = await cli('jominy', 'train', csv, '--seed', '2', '--max-hidden', '2', '--epochs', '15', '--ensemble', '3');
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/uncertainty: ensemble of 3 bootstrap re-fits \(seeds \d+, \d+, \d+\) on 105 training heats/);
    expect(t.out).toMatch(/held-out coverage of the nominal 90\.0 % interval \(held-out heats of known grades, random split\): \d+\.\d % of 675 held-out readings, Wilson 90 % \d+\.\d–\d+\.\d % on 45 test heats/);
    // beside it, the same interval on grades left out of training, each with its count and Wilson interval
    expect(t.out).toMatch(/coverage on a grade not in training \(networks refitted without it, same inputs and sizes; 3 bootstrap members for the spread; the stored k and τ; [\d.]+ s\): \d+\.\d % of \d+ held-out readings, Wilson 90 % \d+\.\d–\d+\.\d % over [2-5] grades/);
    const show = await cli('jominy', 'models', 'show', '1', '--json');
    const m = JSON.parse(show.out);
    expect(m.uncertainty.size).toBe(3);
    expect(m.coverage90).toBe(m.uncertainty.coverage);
    const g = m.uncertainty.gradeCoverage as { grades: { grade: string; heats: number; readings: number; coverage: number; wilson: [number, number] }[]; readings: number; coverage: number };
    expect(g.grades.length).toBeGreaterThanOrEqual(2);
    expect(g.readings).toBe(g.grades.reduce((a, r) => a + r.readings, 0));
    for (const r of g.grades) {
      expect(r.heats).toBeGreaterThanOrEqual(10);
      expect(r.readings).toBe(15 * r.heats); // every synthetic heat measured the 15 points
      expect(t.out).toContain(`  ${r.grade} (${r.heats} heats): ${(100 * r.coverage).toFixed(1)} % of ${r.readings} held-out readings, Wilson 90 % ${(100 * r.wilson[0]).toFixed(1)}–${(100 * r.wilson[1]).toFixed(1)} %`);
    }

    const band = join(dir, 'band.csv');
    writeFileSync(band, 'distance_mm,min,max\n1.5,40,60\n9,25,50\n20,18,40\n');
    const bad = await cli('jominy', 'design', '--model', '1', '--band', band, '--tolerance', 'C=5');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--tolerance: C 5 wt.% is above the limit of 1.2 wt.%');
    const d = await cli('jominy', 'design', '--model', '1', '--band', band, '--tolerance', 'C=0.02,Mn=0.05', '--pop', '10', '--gens', '4', '--top', '2', '--seed', '5');
    expect(d.code).toBe(0);
    expect(d.out).toContain('trust region: sd weight 4, domain weight 4; melt tolerances: C ±0.02, Mn ±0.05');
    // P(meet band) with its range in brackets (the widest of the Monte Carlo error, calibration range, held-out check),
    // never the Monte Carlo ± alone; the best design's parts of it under the table
    expect(d.out).toMatch(/rank {2}P\(meet band\) \(range\) {2}±90 % mean HRC {2}domain distance \/ limit\n +1 +\d+\.\d % \(\d+\.\d–\d+\.\d\) +\d+\.\d\d {2}(in |OUT) \d+\.\d\d \/ \d+\.\d\d/);
    // the ±90 % mean over the distances with a prediction only, recomputed here from the stored session: a marked
    // value (held, no network, capped, below 20 HRC) has no interval to average
    const sessions = JSON.parse((await cli('jominy', 'sessions', '--json')).out) as { id: number }[];
    const s = JSON.parse((await cli('jominy', 'sessions', 'show', String(sessions.at(-1)!.id), '--json')).out) as { results: { rank: number; marks?: (string | null)[]; interval: { lo: number[]; hi: number[] } }[] };
    expect(s.results.length).toBe(2);
    const counts = s.results.map((r) => {
      const at = r.interval.hi.map((_, i) => i).filter((i) => !r.marks?.[i]);
      expect(at.length).toBeGreaterThan(0);
      const half = at.reduce((a, i) => a + (r.interval.hi[i] - r.interval.lo[i]) / 2, 0) / at.length;
      expect(d.out).toMatch(new RegExp(`\\n +${r.rank} +\\d+\\.\\d % \\(\\d+\\.\\d–\\d+\\.\\d\\) +${half.toFixed(2).replace('.', '\\.')} {2}(in |OUT)`));
      return at.length;
    });
    expect(d.out).toContain(new Set(counts).size === 1 ? `±90 % mean HRC: over the ${counts[0]} distances with a prediction (a marked value has no interval)` : `±90 % mean HRC: over the distances with a prediction: ${counts.map((n, k) => `${n} (rank ${k + 1})`).join(', ')}`);
    expect(d.out).toMatch(/\n {2}\d+\.\d %: Monte Carlo ± \d+\.\d %; calibration range \d+\.\d–\d+\.\d % \(k and ρ refitted on 200 resamples of the held-out heats\); held-out check of its band shape around 45 held-out heats' predicted curves \(at their chemistry, no melt tolerance\): P said \d+\.\d % at the cross-fit halves' k \(\d+\.\d % at the stored k the design's P is taken at, fitted on these heats\), \d+\.\d % met \(\d+\.\d–\d+\.\d %, Wilson 90 %\)\n/);
    expect(d.out).toMatch(/best design, 90 % interval \(held-out coverage \d+\.\d % of 675 held-out readings, Wilson 90 % \d+\.\d–\d+\.\d % \(held-out heats of known grades\); on a grade not in training \d+\.\d % of \d+ held-out readings, Wilson 90 % \d+\.\d–\d+\.\d % over [2-5] grades left out; lowest per distance \d+\.\d % at [\d.]+ mm\)/);
    expect(d.out).toMatch(/P\(meet band\) by 2000 Monte Carlo draws through the ensemble \(seed \d+\)/);
    const r = await cli('jominy', 'design', '--model', '1', '--band', band, '--robust-weight', '10', '--pop', '10', '--gens', '2');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('maximising P(meet band) needs melt tolerances');
  });
});
