import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestSpecification, Vitest } from 'vitest/node';
import { DURATIONS_FILE, LongestFirstSequencer, type FileDurations } from '../../longest-first-sequencer.js';
import { tempDir } from '../../helpers/temp.js';
import config from '../../../vitest.config.js';

// The order the suite's files start in (test/longest-first-sequencer.ts): the measured longest first, files the
// table does not know before them, so that the two forks of the CI machine end together.
describe('longest-first file order (test helper)', () => {
  const tmp = tempDir('ferrolab-sequencer-');
  afterAll(() => tmp.cleanup());
  const root = tmp.dir;
  mkdirSync(join(root, 'test', 'unit'), { recursive: true });
  const table: FileDurations = { measured: 'made up', files: { 'test/unit/short.test.ts': 1_000, 'test/unit/long.test.ts': 60_000, 'test/e2e/middle.test.ts': 20_000 } };
  writeFileSync(join(root, DURATIONS_FILE), JSON.stringify(table));
  const write = (rel: string, bytes: number) => writeFileSync(join(root, rel), 'x'.repeat(bytes));
  write('test/unit/new-small.test.ts', 10);
  write('test/unit/new-big.test.ts', 5_000);
  write('test/unit/new-cached.test.ts', 10);
  const spec = (rel: string, project: string) => ({ moduleId: join(root, rel), project: { name: project, config: { sequence: { groupOrder: 0 } } } }) as unknown as TestSpecification;
  const cache = { getFileTestResults: (key: string) => (key === 'unit:test/unit/new-cached.test.ts' ? { duration: 30_000, failed: false } : undefined) };
  const ctx = { config: { root }, cache } as unknown as Vitest;

  it('starts files the table does not know first (cached duration, then size), then the known ones longest first, across projects', async () => {
    const files = [
      spec('test/unit/short.test.ts', 'unit'),
      spec('test/unit/new-small.test.ts', 'unit'),
      spec('test/e2e/middle.test.ts', 'e2e'),
      spec('test/unit/long.test.ts', 'unit'),
      spec('test/unit/new-big.test.ts', 'unit'),
      spec('test/unit/new-cached.test.ts', 'unit'),
    ];
    const sorted = await new LongestFirstSequencer(ctx).sort(files);
    expect(sorted.map((s) => s.moduleId.slice(root.length + 1))).toEqual([
      'test/unit/new-cached.test.ts',
      'test/unit/new-big.test.ts',
      'test/unit/new-small.test.ts',
      'test/unit/long.test.ts',
      'test/e2e/middle.test.ts',
      'test/unit/short.test.ts',
    ]);
  });

  it('the repository’s table has the suite’s files, and the config uses the sequencer with one worker count for both projects', () => {
    const known = (JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')) as FileDurations).files;
    expect(Object.keys(known).length).toBeGreaterThan(150);
    for (const ms of Object.values(known)) expect(ms).toBeGreaterThanOrEqual(0);
    const test = config.test!;
    expect(test.sequence?.sequencer).toBe(LongestFirstSequencer);
    // A project of its own worker count (fileParallelism: false sets 1) is run in a group of its own, after the others.
    for (const p of test.projects as { test: { fileParallelism?: boolean; maxWorkers?: number } }[]) {
      expect(p.test.fileParallelism).toBeUndefined();
      expect(p.test.maxWorkers).toBeUndefined();
    }
  });
});
