import { beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp.js';
import { main } from '../../../core/cli/main.js';
import { commands } from '../../../core/cli/commands/index.js';
import { appVersion } from '../../../core/config/version.js';
import { LOG_ENV } from '../../../core/runtime/log.js';
import { cliEntry } from '../../helpers/cli-bundle.js';

// The real CLI in a child process, for the Ctrl-C tests (bundled once: test/helpers/cli-bundle.ts).
let entry: string;
beforeAll(async () => {
  entry = await cliEntry();
});

/** Runs main() in this process, capturing stdout and stderr. */
async function cli(...args: string[]): Promise<{ rc: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const savedLog = process.env[LOG_ENV];
  try {
    return { rc: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    if (savedLog === undefined) delete process.env[LOG_ENV];
    else process.env[LOG_ENV] = savedLog;
  }
}

/** Spawns the real CLI, sends SIGINT once stderr matches `when`, and resolves with the exit code and output. */
function interruptWhen(args: string[], when: RegExp, stream: 'stdout' | 'stderr' = 'stderr'): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sent = false;
    const check = () => {
      if (!sent && when.test(stream === 'stderr' ? err : out)) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', (d) => ((out += String(d)), check()));
    child.stderr.on('data', (d) => ((err += String(d)), check()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, out, err }));
  });
}

describe('CLI conventions', () => {
  it('--help lists every verb, the global options and the exit codes, and exits 0', async () => {
    const r = await cli('--help');
    expect(r.rc).toBe(0);
    for (const c of commands) expect(r.out).toContain(c.usage);
    expect(r.out).toMatch(/Global options \(before or after the verb\)/);
    // task 25-E: the form that reaches a billet whose id is another's name
    expect(r.out).toMatch(/^BILLET: a billet's name or id; id:N is always the billet with id N/m);
    expect(r.out).toMatch(/^ {2}1 {4}the work failed/m);
    expect(r.out).toMatch(/^ {2}2 {4}usage error/m);
    expect(r.out).toMatch(/^ {2}130 {2}interrupted by Ctrl\+C/m);
    expect((await cli('-h')).out).toBe(r.out);
  });

  it('VERB --help and VERB SUBVERB --help print that verb\'s usage, summary and options without opening the data folder', async () => {
    const t = tempDir();
    const data = join(t.dir, 'never-created');
    const r = await cli('billet', 'import', '--help', '--data', data);
    expect(r.rc).toBe(0);
    const spec = commands.find((c) => c.path.join(' ') === 'billet import')!;
    expect(r.out.split('\n')[0]).toBe(`usage: ${spec.usage}`);
    expect(r.out).toContain(`\n${spec.summary}\n`);
    expect(r.out).toMatch(/^ {2}--name NAME$/m);
    expect(r.out).toMatch(/^ {2}--diameter MM$/m);
    expect(r.out).not.toContain('ferrolab jominy');
    expect(r.out).not.toContain('id:N');
    expect((await cli('readings', 'import', '--help', '--data', data)).out).toMatch(/^BILLET: a billet's name or id; id:N is always/m);
    const serve = await cli('serve', '-h');
    expect(serve.rc).toBe(0);
    expect(serve.out).toMatch(/^usage: ferrolab serve \[--port N\]/);
    expect(serve.out).toMatch(/^ {2}--no-open$/m);
    const group = await cli('jominy', '--help');
    expect(group.rc).toBe(0);
    expect(group.out).toContain('ferrolab jominy synth');
    expect(group.out).toContain('ferrolab jominy design');
    expect(group.out).not.toContain('ferrolab billet');
    expect(existsSync(data)).toBe(false);
    t.cleanup();
  });

  it('--version and -V print the version and exit 0', async () => {
    const r = await cli('--version');
    expect(r).toEqual({ rc: 0, out: `ferrolab ${appVersion}\n`, err: '' });
    expect((await cli('-V')).out).toBe(`ferrolab ${appVersion}\n`);
    expect(JSON.parse((await cli('--version', '--json')).out)).toEqual({ version: appVersion });
  });

  it('accepts global options before the verb as well as after it', async () => {
    const t = tempDir();
    const before = await cli('--data', t.dir, '--json', '--backend', 'cpu', 'info');
    expect(before.rc).toBe(0);
    const info = JSON.parse(before.out);
    expect(info.dataDir).toBe(t.dir);
    expect(info.backend.name).toBe('cpu');
    const mixed = await cli('--json', 'billet', `--data=${t.dir}`, 'list');
    expect(mixed.rc).toBe(0);
    expect(JSON.parse(mixed.out)).toEqual([]);
    t.cleanup();
  });

  it('exits 2 on usage errors: unknown verb, a verb group without its subverb, unknown option, missing argument', async () => {
    const t = tempDir();
    const unknown = await cli('frobnicate', '--data', t.dir);
    expect(unknown.rc).toBe(2);
    expect(unknown.err).toContain('unknown verb "frobnicate"');
    expect(unknown.out).toBe('');
    const group = await cli('billet', '--data', t.dir);
    expect(group.rc).toBe(2);
    expect(group.err).toContain('"billet" needs a subverb');
    expect(group.err).toContain('ferrolab billet list');
    const option = await cli('info', '--colour', '--data', t.dir);
    expect(option.rc).toBe(2);
    expect(option.err).toMatch(/Unknown option '--colour'/);
    expect(option.err).toContain('usage: ferrolab info');
    const missing = await cli('points', 'list', '--json', '--data', t.dir);
    expect(missing.rc).toBe(2);
    expect(JSON.parse(missing.out)).toEqual({ error: { code: 'usage', message: 'BILLET (an id, a name, or id:N) is required' } });
    const noVerb = await cli('--data', t.dir);
    expect(noVerb.rc).toBe(2);
    t.cleanup();
  });

  it('exits 1 when the work fails, and logs the failure with the verb in the data folder', async () => {
    const t = tempDir();
    const r = await cli('points', 'list', 'no-such-billet', '--data', t.dir);
    expect(r.rc).toBe(1);
    expect(r.err).toBe('ferrolab: No billet named "no-such-billet" (see `ferrolab billet list`)\n');
    const lines = readFileSync(join(t.dir, 'logs', 'ferrolab.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ level: 'error', scope: 'cli', msg: 'command failed', command: 'points list', code: 'not_found' });
    t.cleanup();
  });

  it('exits 130 on Ctrl+C during a job, after cancelling it', async () => {
    const t = tempDir();
    const csv = join(t.dir, 'heats.csv');
    expect((await cli('jominy', 'synth', '--n', '800', '--seed', '3', '--out', csv)).rc).toBe(0);
    // SIGINT once the job reports progress (a "NN% …" line from followJob), so it lands while the job runs.
    const r = await interruptWhen(['jominy', 'train', csv, '--data', t.dir], /^\d+% /m);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.err).toContain('ferrolab: stopping');
    expect(r.err).toMatch(/ferrolab: interrupted: .*cancelled/);
    expect(r.out).toBe('');
    t.cleanup();
  });

  it('exits 130 when Ctrl+C stops the server', async () => {
    const t = tempDir();
    const r = await interruptWhen(['serve', '--no-open', '--port', '0', '--data', t.dir], /serving on http:\/\/127\.0\.0\.1:\d+/, 'stdout');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.err).toContain('ferrolab: interrupted');
    t.cleanup();
  });
});
