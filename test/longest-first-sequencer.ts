import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order vitest hands test files to its workers: longest first, by the seconds each file took in a measured
 * clean-clone run (test/file-durations.json, written by `node scripts/test-times.js REPORT.json --write-durations`).
 *
 * Why: the workers take the next file from one queue as they come free, so the run ends when the last long file
 * ends. Vitest's own order on a clean clone (no results cache) is by file SIZE, which put files of a minute behind
 * files of a second, and the two forks of the 2-core CI machine ended far apart. Longest first (the LPT rule)
 * leaves only short files for the end, where they even out the two forks.
 *
 * Within that, files come in blocks by project (see sort): a process serves the next file only if it is of its project.
 *
 * A file the table does not know yet (a new one) runs first in its block, as vitest runs unknown files first: it may be long.
 * Among those, vitest's own results cache of this machine (if it has one), then file size, decides.
 */
export interface FileDurations {
  /** What the figures are: the run they come from. */
  measured: string;
  /** path relative to the repository root → milliseconds from the file's start to its end in that run. */
  files: Record<string, number>;
}

export const DURATIONS_FILE = join('test', 'file-durations.json');

function readDurations(root: string): Map<string, number> {
  try {
    const table = JSON.parse(readFileSync(join(root, DURATIONS_FILE), 'utf8')) as FileDurations;
    return new Map(Object.entries(table.files));
  } catch {
    // No table (or an unreadable one): every file is unknown, and the fallbacks below order them.
    return new Map();
  }
}

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const known = readDurations(root);
    const cache = this.ctx.cache;
    const rank = (spec: TestSpecification): { unknown: boolean; ms: number } => {
      const path = relative(root, spec.moduleId).split('\\').join('/');
      const ms = known.get(path);
      if (ms !== undefined) return { unknown: false, ms };
      const cached = cache.getFileTestResults(`${spec.project.name}:${relative(root, spec.moduleId)}`);
      if (cached) return { unknown: true, ms: cached.duration };
      let size = 0;
      try {
        size = statSync(spec.moduleId).size;
      } catch {
        // A file that vanished: vitest will say so when it runs it.
      }
      return { unknown: true, ms: size / 1e6 }; // below every measured duration of an unknown file
    };
    const ranked = files.map((spec) => ({ spec, ...rank(spec), block: spec.project.config.isolate === false ? spec.project.name : '' }));
    // Blocks: isolated files first (each starts a process of its own anyway), then each project whose files share a
    // process, one after the other, the one of the shortest files (median) last, where they even out the two forks.
    // Vitest hands a process on to the next file only when that file is of the same project (its pool looks at the
    // head of the queue): files of two such projects in turns started a new process for nearly every file.
    const median = new Map<string, number>();
    for (const block of new Set(ranked.map((r) => r.block))) {
      const ms = ranked.filter((r) => r.block === block).map((r) => r.ms).sort((a, b) => a - b);
      median.set(block, block === '' ? Infinity : ms[Math.floor(ms.length / 2)]);
    }
    ranked.sort((a, b) => {
      if (a.block !== b.block) return median.get(b.block)! - median.get(a.block)! || (a.block < b.block ? -1 : 1);
      return a.unknown !== b.unknown ? (a.unknown ? -1 : 1) : b.ms - a.ms;
    });
    return ranked.map((r) => r.spec);
  }
}
