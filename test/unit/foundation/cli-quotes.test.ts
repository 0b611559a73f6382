import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp.js';
import { runCli } from '../../helpers/cli.js';
import { createAppContext } from '../../../core/app/context.js';

/**
 * Issue 15: "the CLI may stay English, but its errors quote values exactly as given". Each refusal of a flag or
 * argument below must show the value character for character as it was typed (case, full-width digits, a decimal
 * comma, spaces), so a user sees what the shell handed over. Several choices (--paper, --colormap, --preset,
 * --pattern, --unit, --decimal-mark, --budget, --search, --backend, --variant, --seed/--size/--diameter ranges)
 * named only what was allowed.
 */
describe('CLI refusals quote the value as given', () => {
  const { dir, cleanup } = tempDir('ferrolab-cli-quotes-');
  const data = join(dir, 'data');
  const csv = join(dir, 'readings.csv');
  beforeAll(async () => {
    const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'cpu' });
    ctx.repos.billets.create({ name: 'B 1', nominalDiameterMm: 300 });
    await ctx.close();
    writeFileSync(csv, 'label,carbon\nP01,0.41\n');
  });
  afterAll(() => cleanup());

  const CASES: [string[], string][] = [
    [['synth', 'billet', '--seed', '4294967296', '--out', dir], '4294967296'],
    [['synth', 'billet', '--seed', '1', '--variant', 'Base', '--out', dir], 'Base'],
    [['synth', 'billet', '--seed', '1', '--size', '150', '--out', dir], '150'],
    [['synth', 'billet', '--seed', '1', '--size', '1e3', '--out', dir], '1e3'],
    [['jominy', 'synth', '--n', '２０', '--seed', '1', '--out', join(dir, 'j.csv')], '２０'],
    [['billet', 'import', csv, '--name', 'x', '--diameter', '3,00'], '3,00'],
    [['billet', 'import', csv, '--name', 'x', '--diameter', '4000'], '4000'],
    [['map', 'B 1', '--measured', '--paper', 'a4'], 'a4'],
    [['map', 'B 1', '--measured', '--colormap', 'Viridis'], 'Viridis'],
    [['map', 'B 1', '--measured', '--pdf', join(dir, 'r.pdf'), '--lang', 'ZH'], 'ZH'],
    [['points', 'layout', 'B 1', '--pattern', 'hex 85'], 'hex 85'],
    [['readings', 'import', 'B 1', csv, '--unit', 'wt%'], 'wt%'],
    [['readings', 'import', 'B 1', csv, '--decimal-mark', ';'], ';'],
    [['jominy', 'datasets', 'import', csv, '--decimal-mark', '·'], '·'],
    [['jominy', 'datasets', 'import', csv, '--distance-unit', 'inch'], 'inch'],
    [['segregation', 'train', '--billet', 'B 1', '--preset', 'Paper'], 'Paper'],
    [['segregation', 'train', '--billet', 'B 1', '--epochs', '2O'], '2O'],
    [['reproduce', 'segregation', '--billet', 'B 1', '--budget', 'Quick', '--out', dir], 'Quick'],
    [['info', '--backend', 'GPU'], 'GPU'],
  ];

  for (const [args, value] of CASES) {
    it(`${args.slice(0, 2).join(' ')} … ${args[args.indexOf(value) - 1]} ${value}: refused, quoting "${value}"`, async () => {
      const r = await runCli(data, ...args);
      expect(r.rc, r.err).toBe(2);
      expect(r.err).toContain(`"${value}"`);
    });
  }
});
