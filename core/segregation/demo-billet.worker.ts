import { parentPort, workerData } from 'node:worker_threads';
import { generateSyntheticBillet, syntheticReadings, syntheticSectionPng, DEFAULT_ANALYZER, type SyntheticVariant } from '../synth/index.js';
import { layoutPoints } from './layouts.js';
import { phrase } from '../api/phrase.js';
import { postedError } from '../runtime/worker-error.js';

/**
 * Worker for the demo billet: generating a 3000 px section is seconds of CPU, which must not stall the
 * server or the Electron main process. Returns everything the main thread needs to store.
 */
export interface DemoWorkerInput {
  seed: number;
  variant: SyntheticVariant;
  sizePx: number;
  readingsSeed: number;
}

const input = workerData as DemoWorkerInput;
const post = (m: unknown, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

try {
  post({ type: 'progress', fraction: 0.02, message: phrase('jobs.sections.demoGenerating') });
  const b = generateSyntheticBillet({ seed: input.seed, variant: input.variant, sizePx: input.sizePx });
  post({ type: 'progress', fraction: 0.35, message: phrase('jobs.sections.demoEncoding') });
  const png = await syntheticSectionPng(b);
  const points = layoutPoints({ pattern: 'hex85', diameterMm: b.diameterMm });
  const readings = syntheticReadings(b, points, input.readingsSeed);
  const bytes = new Uint8Array(png);
  post(
    {
      type: 'done',
      png: bytes,
      meta: {
        generator: b.generator,
        seed: b.seed,
        variant: b.variant,
        width: b.width,
        height: b.height,
        diameterMm: b.diameterMm,
        circle: b.circle,
        mmPerPx: b.mmPerPx,
        stats: b.stats,
        params: b.params,
        analyzer: DEFAULT_ANALYZER,
      },
      points,
      readings,
    },
    [bytes.buffer as ArrayBuffer],
  );
} catch (err) {
  post({ type: 'error', ...postedError(err) });
}
