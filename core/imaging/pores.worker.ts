import { parentPort, workerData } from 'node:worker_threads';
import { decodeGrey, type ProbedImage } from './decode.js';
import { detectPores, type PoreDetectorSettings } from './pores.js';
import { encodeMaskRle } from './mask-rle.js';
import type { Circle } from './types.js';
import { phrase } from '../api/phrase.js';
import { postedError } from '../runtime/worker-error.js';

/**
 * Worker for pore detection: decoding a large section and the detector's pixel loops are seconds of CPU that must
 * not stall the server or the Electron main process. Posts the pores and the run-length mask.
 */
export interface PoresWorkerInput {
  file: string;
  probed: ProbedImage;
  mmPerPx: number;
  circle: Circle;
  settings?: Partial<PoreDetectorSettings>;
}

const input = workerData as PoresWorkerInput;
const post = (m: unknown, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

try {
  post({ type: 'progress', fraction: 0.05, message: phrase('jobs.sections.decoding') });
  const image = await decodeGrey(input.file, input.probed);
  post({ type: 'progress', fraction: 0.3, message: phrase('jobs.maps.detectingPores') });
  const t0 = performance.now();
  const d = await detectPores({ image, mmPerPx: input.mmPerPx, circle: input.circle, settings: input.settings });
  const seconds = (performance.now() - t0) / 1000;
  const rle = encodeMaskRle(d.mask);
  const { mask: _mask, ...rest } = d;
  post({ type: 'done', detection: rest, rle, seconds }, [rle.buffer as ArrayBuffer]);
} catch (err) {
  post({ type: 'error', ...postedError(err) });
}
