import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openDatabase, closeDatabase } from '../../../core/store/index.js';
import { tempDir } from '../../helpers/temp.js';

describe('crash safety', () => {
  it('a writer killed with SIGKILL mid-way leaves an intact database with every committed batch', async () => {
    const t = tempDir();
    const file = join(t.dir, 'ferrolab.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'crash-writer.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lastCommitted = -1;
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const l of lines) {
          const m = /^committed (\d+)$/.exec(l);
          if (m) lastCommitted = Number(m[1]);
        }
        // Kill while it is in the middle of writing, after a good number of commits.
        if (lastCommitted >= 40 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    await new Promise((r) => child.once('exit', r).once('close', r));
    expect(child.signalCode).toBe('SIGKILL');

    const { db } = openDatabase(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare('SELECT source, COUNT(*) AS n FROM carbon_readings GROUP BY source').all() as { source: string; n: number }[];
    const batches = new Map(rows.map((r) => [r.source, r.n]));
    // Every batch reported committed is there in full; no batch is there in part.
    for (let n = 0; n <= lastCommitted; n++) expect(batches.get(`batch-${n}`)).toBe(50);
    for (const [, count] of batches) expect(count).toBe(50);
    closeDatabase(db);
    t.cleanup();
  });
});
