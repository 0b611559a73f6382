import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { demoBilletIn } from '../../helpers/demo-billet.js';
import { createAppContext } from '../../../core/app/context.js';

// A real kill: `ferrolab reproduce` in a child process is SIGKILLed right after its 2nd of 4 units was committed.
// The next open reads the run as interrupted; `--resume` computes only the 2 units that had not finished.
const FIXTURE = resolve('test/helpers/experiments-registry-fixture.ts');
let data: { dir: string; cleanup: () => void };
let billetId: number;

beforeAll(async () => {
  data = tempDir();
  const ctx = createAppContext({ dataDir: data.dir, shell: 'cli', backend: 'wasm' });
  try {
    billetId = await demoBilletIn(ctx, { seed: 6, sizePx: 400 });
  } finally {
    await ctx.close();
  }
}, 300_000);

afterAll(() => {
  delete process.env.FERROLAB_TEST_EXPERIMENTS_REGISTRY;
  data?.cleanup();
});

function unitsStored(): number {
  const db = new Database(join(data.dir, 'ferrolab.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const has = db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'experiment_units'`).get() as { n: number };
    return has.n ? (db.prepare('SELECT COUNT(*) AS n FROM experiment_units').get() as { n: number }).n : 0;
  } finally {
    db.close();
  }
}

describe('reproduce killed mid-run', () => {
  it('keeps the units committed before SIGKILL, reads interrupted at the next open, and the resume computes only the rest', async () => {
    const out = join(data.dir, 'out');
    const args = ['reproduce', 'segregation', '--billet', String(billetId), '--budget', 'quick', '--out', out, '--data', data.dir];
    const script = `import(${JSON.stringify(resolve('core/cli/main.ts'))}).then((m) => m.main(${JSON.stringify(args)})).then((rc) => process.exit(rc));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, FERROLAB_TEST_EXPERIMENTS_REGISTRY: FIXTURE, FERROLAB_TEST_EXPERIMENT_UNIT_MS: '1500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    const deadline = Date.now() + 240_000;
    let n = 0;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        n = unitsStored();
      } catch {
        n = 0; // the folder is being set up
      }
      if (n >= 2) break;
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(n, stderr).toBe(2);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(unitsStored()).toBe(2);

    process.env.FERROLAB_TEST_EXPERIMENTS_REGISTRY = FIXTURE;
    const list = await runCli(data.dir, 'experiments', 'list');
    expect(list.out).toMatch(/^ {3}1 {2}segregation quick interrupted \(found /m);
    const again = await runCli(data.dir, 'reproduce', 'segregation', '--resume', '1');
    expect(again.err).toContain('2 unit(s) and 0 experiment(s) already stored are not computed again');
    expect(again.rc).toBe(0);
    expect(again.out).toContain('units computed now 2, read back 2');
    expect(again.out).toContain(join(out, 'reproduction-report.html'));
  }, 300_000);
});
