import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp.js';
import { writeFileWhole } from '../../../core/runtime/write-whole.js';
import { writeFolderWhole } from '../../../core/runtime/write-folder-whole.js';

let dir: string, cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

/**
 * A killed export leaves its hidden `.export-<pid>-….tmp` beside the target, and a user's folder is not swept when a
 * data folder opens: the next export into the same folder removes those of dead processes (they piled up before).
 */
describe('an export sweeps the leftovers of killed exports in the folder it writes into', () => {
  const dead = spawnSync(process.execPath, ['-e', '']).pid!; // exited: its pid is free
  const leftovers = () => {
    writeFileSync(join(dir, `.export-${dead}-0123456789abcdef-readings.csv.tmp`), 'half a CSV');
    mkdirSync(join(dir, `.export-${dead}-fedcba9876543210-patches.tmp`));
    writeFileSync(join(dir, `.export-${dead}-fedcba9876543210-patches.tmp`, 'P01.png'), 'half a set');
    writeFileSync(join(dir, `.export-${process.pid}-00112233aabbccdd-other.csv.tmp`), 'a live export under way');
    writeFileSync(join(dir, 'notes.csv'), 'the user keeps this');
  };
  const kept = [`.export-${process.pid}-00112233aabbccdd-other.csv.tmp`, 'notes.csv'];

  it('a file export (write-whole.ts)', () => {
    leftovers();
    writeFileWhole(join(dir, 'readings.csv'), 'label,wt\n');
    expect(readdirSync(dir).sort()).toEqual([...kept, 'readings.csv'].sort());
    expect(readFileSync(join(dir, 'notes.csv'), 'utf8')).toBe('the user keeps this');
  });

  it('a folder export (write-folder-whole.ts)', async () => {
    leftovers();
    await writeFolderWhole(join(dir, 'patches'), async (d) => writeFileSync(join(d, 'quality.csv'), 'label\n'));
    expect(readdirSync(dir).sort()).toEqual([...kept, 'patches'].sort());
    expect(readdirSync(join(dir, 'patches'))).toEqual(['quality.csv']);
  });
});
