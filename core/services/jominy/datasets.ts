import { readFileSync, statSync } from 'node:fs';
import { ApiError } from '../../api/errors.js';
import { phrase } from '../../api/phrase.js';
import { parseStrictInteger } from '../../api/strict-decimal.js';
import type { JominyDataset } from '../../api/methods/jominy.js';
import { jominyCsvHeader, previewJominyCsv, type JominyCsvPreview } from '../../jominy/index.js';
import type { DecimalMark } from '../../api/strict-decimal.js';
import { E140_CITATION, STANDARD_LAYOUT, atStandardDistances, SYNTH_DESCRIPTION, SYNTH_MODEL_ID, datasetCoverage, generateSynthetic, gradeStatistics, parseJominyCsv, type DistanceUnit, type GradeStatistics, type BelowScaleOption, belowScalePoints, biasedHighPhrase, gradeBelowScale } from '../../jominy/index.js';
import type { JominyServiceDeps } from './deps.js';
import { asApiError } from './errors.js';
import { decodeCsvBytes } from '../../runtime/csv-bytes.js';

/** Jominy datasets: CSV import (an upload, consumed), synthetic heats, statistics per grade, coverage, delete. */

const MAX_CSV_BYTES = 50 * 1024 * 1024;


export function createDatasetsService({ repos, bus, uploads }: JominyServiceDeps) {
  const repo = repos.datasets;
  const changed = (id: number) => bus.emit({ type: 'data-changed', entity: 'jominy-dataset', id });
  return {
    list: () => repo.listDatasets(),
    get: (id: number) => repo.getDataset(id),
    samples(id: number, offset: number, limit: number, grade?: string) {
      const { distancesMm } = repo.getDataset(id).layout;
      const page = repo.samplesPage(id, offset, limit, grade);
      return { ...page, samples: page.samples.map((s) => ({ ...s, standardHardness: atStandardDistances(distancesMm, s.hardness) })) };
    },

    /**
     * Imports a Jominy CSV upload (read only: dispatch spends the upload when the call ends, core/app/upload-consumers.ts).
     * `distanceUnit` and `missing` are the import's declarations (core/jominy/csv.ts); the layout is stored with the dataset.
     */
    /** How an import of this upload would read it (the same parser), storing nothing; the upload is kept for the import. */
    previewCsv(upload: { uploadId: string; name: string }, opts: { distanceUnit?: DistanceUnit; missing?: string[]; decimalMark?: DecimalMark; minElementShare?: number; belowScale?: BelowScaleOption } = {}): JominyCsvPreview {
      const file = uploads.resolve(upload.uploadId);
      if (statSync(file).size > MAX_CSV_BYTES) throw ApiError.said('invalid_argument', phrase('jominyErrors.csvTooLarge', { mb: MAX_CSV_BYTES / 1024 / 1024 }));
      const { minElementShare, ...parse } = opts;
      return previewJominyCsv(decodeCsvBytes(readFileSync(file), upload.name, jominyCsvHeader), parse, 'HRC', minElementShare);
    },

    importCsv(upload: { uploadId: string; name: string }, name?: string, opts: { distanceUnit?: DistanceUnit; missing?: string[]; decimalMark?: DecimalMark; belowScale?: BelowScaleOption } = {}): JominyDataset {
      const file = uploads.resolve(upload.uploadId);
      if (statSync(file).size > MAX_CSV_BYTES) throw ApiError.said('invalid_argument', phrase('jominyErrors.csvTooLarge', { mb: MAX_CSV_BYTES / 1024 / 1024 }));
      let parsed;
      try {
        parsed = parseJominyCsv(decodeCsvBytes(readFileSync(file), upload.name, jominyCsvHeader), opts);
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
        layout: parsed.layout,
        samples: parsed.samples,
        belowScale: { option: opts.belowScale ?? 'refuse', heatsLeftOut: parsed.belowScaleLeftOut, byGrade: parsed.belowScaleByGrade },
        belowScaleFrom: parsed.belowScaleFrom,
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
        layout: STANDARD_LAYOUT,
        samples,
        // the generator's curves continue below 20 HRC as model values: none is left out
        belowScale: { option: 'refuse', heatsLeftOut: STANDARD_LAYOUT.distancesMm.map(() => 0), byGrade: {} },
        belowScaleFrom: samples.map(() => null),
      });
      changed(ds.id);
      return ds;
    },

    /** Per grade (or the one grade asked for): mean curve, sd and H-band per distance, chemistry per element. */
    grades(id: number, grade?: string): (GradeStatistics & { belowScale: ReturnType<typeof gradeBelowScale> })[] {
      const ds = repo.getDataset(id);
      const stats = gradeStatistics(repo.allSamples(id, grade), ds.layout);
      if (grade !== undefined && stats.length === 0) throw ApiError.said('not_found', phrase('jominyErrors.noHeatsOfGrade', { dataset: ds.name, grade }), { field: 'grade' });
      // the grade's own heats left out below 20 HRC per distance and where they bias its band (null: not recorded);
      // judged against its heats measured there, never its rows (two bars a heat had halved the share)
      return stats.map((g) => ({ ...g, belowScale: gradeBelowScale(g.grade, g.heats, ds.layout.labels, ds.belowScale?.byGrade) }));
    },

    /** Heats per distance × element and per grade × distance: what the dataset can train. */
    coverage(id: number) {
      const ds = repo.getDataset(id);
      const cov = datasetCoverage(repo.allSamples(id), ds.layout);
      const leftOut = ds.belowScale?.heatsLeftOut ?? null;
      const biasedHigh = belowScalePoints(ds.layout.distancesMm, cov.perDistance, leftOut, { measured: cov.grades, leftOut: ds.belowScale?.byGrade ?? null }).map((p) => ({ ...p, over: 'dataset' as const, phrase: biasedHighPhrase(p, String(+p.distanceMm.toFixed(2)), 'dataset') }));
      return { ...cov, belowScaleLeftOut: leftOut, biasedHigh, hvCitation: E140_CITATION };
    },

    remove(id: number): { deleted: true } {
      repo.deleteDataset(id);
      changed(id);
      return { deleted: true as const };
    },
  };
}

/** The seed named in a Jominy CSV's comment header, or null when it is not a plain whole number. */
function strictSeed(text: string): number | null {
  const r = parseStrictInteger(text);
  return r.ok ? r.value : null;
}
