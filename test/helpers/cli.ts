import { vi } from 'vitest';
import { main } from '../../core/cli/main.js';

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
