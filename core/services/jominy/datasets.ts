import { readFileSync, statSync } from 'node:fs';
import { ApiError } from '../../api/errors.js';
import { parseStrictInteger } from '../../api/strict-decimal.js';
import type { JominyDataset } from '../../api/methods/jominy.js';
import { DISTANCES_MM, SYNTH_DESCRIPTION, SYNTH_MODEL_ID, generateSynthetic, parseJominyCsv } from '../../jominy/index.js';
import type { JominyServiceDeps } from './deps.js';
import { asApiError } from './errors.js';

/** Jominy datasets: CSV import (an upload, consumed), synthetic heats, H-band statistics per grade, delete. */

const MAX_CSV_BYTES = 50 * 1024 * 1024;

export interface GradeBand {
  grade: string;
  n: number;
  mean: number[];
  low: number[];
  high: number[];
}

export function createDatasetsService({ repos, bus, uploads }: JominyServiceDeps) {
  const repo = repos.datasets;
  const changed = (id: number) => bus.emit({ type: 'data-changed', entity: 'jominy-dataset', id });
  return {
    list: () => repo.listDatasets(),
    get: (id: number) => repo.getDataset(id),
    samples: (id: number, offset: number, limit: number) => repo.samplesPage(id, offset, limit),

    /** Imports a Jominy CSV upload (read only: dispatch spends the upload when the call ends, core/app/upload-consumers.ts). */
    importCsv(upload: { uploadId: string; name: string }, name?: string): JominyDataset {
      const file = uploads.resolve(upload.uploadId);
      if (statSync(file).size > MAX_CSV_BYTES) throw new ApiError('invalid_argument', `the CSV is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB`);
      let parsed;
      try {
        parsed = parseJominyCsv(readFileSync(file, 'utf8'));
      } catch (e) {
        asApiError(e);
      }
      const synthetic = parsed.meta.generator === SYNTH_MODEL_ID || 'synthetic' in parsed.meta;
      const ds = repo.createDataset({
        name: name ?? upload.name.replace(/\.csv$/i, ''),
        source: `csv:${upload.name}`,
        synthetic,
        // "# seed: 0x10" is not seed 16: the comment's seed is kept only when it is a plain whole number.
        seed: parsed.meta.seed !== undefined ? strictSeed(parsed.meta.seed) : null,
        notes: synthetic ? (parsed.meta.synthetic ?? SYNTH_DESCRIPTION) : null,
        meta: { warnings: parsed.warnings, header: parsed.meta, generator: parsed.meta.generator ?? null },
        samples: parsed.samples,
      });
      changed(ds.id);
      return ds;
    },

    synth({ n, seed, name, noiseHrc }: { n: number; seed: number; name?: string; noiseHrc?: number }): JominyDataset {
      const samples = generateSynthetic({ n, seed, noiseHrc });
      const ds = repo.createDataset({
        name: name ?? `Synthetic Jominy heats (seed ${seed}, n ${n})`,
        source: `synthetic:${SYNTH_MODEL_ID}`,
        synthetic: true,
        seed,
        notes: SYNTH_DESCRIPTION,
        meta: { warnings: [], generator: SYNTH_MODEL_ID, noiseHrc: noiseHrc ?? 1 },
        samples,
      });
      changed(ds.id);
      return ds;
    },

    /** Mean curve and H-band per grade; the band leaves out the upper and lower 3.5 % of heats (research notes §2). */
    grades(id: number): GradeBand[] {
      const by = new Map<string, number[][]>();
      for (const s of repo.allSamples(id)) {
        const g = s.grade ?? '(no grade)';
        if (!by.has(g)) by.set(g, []);
        by.get(g)!.push(s.hardness);
      }
      return [...by.entries()]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([grade, hs]) => {
          const col = (i: number) => hs.map((h) => h[i]);
          return {
            grade,
            n: hs.length,
            mean: DISTANCES_MM.map((_, i) => col(i).reduce((a, b) => a + b, 0) / hs.length),
            low: DISTANCES_MM.map((_, i) => percentile(col(i), 0.035)),
            high: DISTANCES_MM.map((_, i) => percentile(col(i), 0.965)),
          };
        });
    },

    remove(id: number): { deleted: true } {
      repo.deleteDataset(id);
      changed(id);
      return { deleted: true as const };
    },
  };
}

/** Linear-interpolated percentile (p in 0..1) of a non-empty list. */
function percentile(v: number[], p: number): number {
  const a = [...v].sort((x, y) => x - y);
  const r = p * (a.length - 1);
  const lo = Math.floor(r);
  return a[lo] + (a[Math.min(a.length - 1, lo + 1)] - a[lo]) * (r - lo);
}

/** The seed named in a Jominy CSV's comment header, or null when it is not a plain whole number. */
function strictSeed(text: string): number | null {
  const r = parseStrictInteger(text);
  return r.ok ? r.value : null;
}
