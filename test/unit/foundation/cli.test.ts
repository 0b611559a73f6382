import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { tempDir } from '../../helpers/temp.js';
import { latestSchemaVersion } from '../../../core/store/index.js';
import { cliEntry } from '../../helpers/cli-bundle.js';

// The real CLI in a child process (bundled once: test/helpers/cli-bundle.ts).
let entry: string;
beforeAll(async () => {
  entry = await cliEntry();
});
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('ferrolab CLI', () => {
  it('info --json reports version, data folder, schema and the backend that ran', () => {
    const t = tempDir();
    const out = execFileSync(process.execPath, [entry, 'info', '--json', '--data', t.dir], { encoding: 'utf8' });
    const info = JSON.parse(out);
    expect(info.dataDir).toBe(t.dir);
    expect(info.schemaVersion).toBe(latestSchemaVersion);
    expect(info.shell).toBe('cli');
    expect(info.backend.name).toBe('wasm');
    // webgpu is skipped here: CI has only lavapipe, a software adapter that auto never takes (stdout stays
    // parseable JSON although Dawn writes its warnings to the native stderr).
    expect(info.backend.skipped.map((s: { name: string }) => s.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow']);
    expect(info.backend.skipped[1].reason).toMatch(/software adapter|no WebGPU adapter/);
    t.cleanup();
  });

  it('uses FERROLAB_DATA when --data is absent, and honours --backend', () => {
    const t = tempDir();
    const r = cli(['info', '--json', '--backend', 'cpu'], { FERROLAB_DATA: t.dir });
    const info = JSON.parse(r.stdout);
    expect(info.dataDir).toBe(t.dir);
    expect(info.backend.name).toBe('cpu');
    t.cleanup();
  });

  it('names a bad option and exits 2', () => {
    const r = cli(['info', '--backend', 'quantum']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--backend must be one of auto, tensorflow-gpu, webgpu, tensorflow, wasm, cpu');
    const unknown = cli(['info', '--colour']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--colour'/);
  });
});
