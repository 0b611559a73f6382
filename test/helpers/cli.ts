import { afterAll, vi } from 'vitest';
import { join } from 'node:path';
import { main } from '../../core/cli/main.js';
import { tempDir } from './temp.js';

/** Runs the `ferrolab` CLI in-process on a data folder, capturing what it writes to stdout and stderr. */
export async function runCli(dataDir: string, ...args: string[]): Promise<{ rc: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    const rc = await main([...args, '--data', dataDir]);
    return { rc, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/**
 * A test file's own temp folder (`dir`, removed after the file; the data folder is `dir/data`, files a test writes go
 * beside it) and the CLI on that data folder, answering its exit code and what it wrote.
 */
export function cliInTempFolder(prefix: string): { dir: string; data: string; cli: (...args: string[]) => Promise<{ code: number; out: string; err: string }> } {
  const { dir, cleanup } = tempDir(prefix);
  afterAll(cleanup);
  const data = join(dir, 'data');
  const cli = async (...args: string[]) => {
    const r = await runCli(data, ...args);
    return { code: r.rc, out: r.out, err: r.err };
  };
  return { dir, data, cli };
}
