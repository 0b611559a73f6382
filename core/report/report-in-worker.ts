import type { FieldGrid, RenderOptions } from '../maps/index.js';
import { runWorker } from '../runtime/worker.js';
import type { MapReportInput } from './map-report.js';
import type { Phrase } from '../api/phrase.js';
import type { PostedError } from '../runtime/worker-error.js';

/** One map of the report as data: the worker renders it (typed arrays cross the thread boundary as-is). */
export interface ReportMapSpec {
  title: string;
  caption?: string;
  /** The caption as sentences written as codes, for the report's language (null: only the English). */
  captionPhrases?: Phrase[] | null;
  /** A line under the map in the report's language (the smoothed map's contour spacing beside the model's interval). */
  notePhrase?: Phrase | null;
  grid: FieldGrid;
  render: RenderOptions;
}

export interface ReportWorkerInput {
  maps: ReportMapSpec[];
  report: Omit<MapReportInput, 'maps'>;
}

/** The worker's answer (the runWorker protocol): the PDF bytes, or an error message. */
export type ReportWorkerOutput = { type: 'done'; pdf: Uint8Array } | ({ type: 'error' } & PostedError);

/**
 * Builds the PDF in a worker thread (one slot of the shared worker cap): rendering 1–4 maps at print
 * resolution and laying out the pages takes seconds of CPU, which must not stall the process that serves the UI.
 */
export async function buildMapReportInWorker(input: ReportWorkerInput, signal?: AbortSignal): Promise<Buffer> {
  const done = await runWorker<{ type: 'done'; pdf: Uint8Array }>(new URL('./report.worker.js', import.meta.url), { workerData: input, signal, what: 'report' });
  return Buffer.from(done.pdf.buffer, done.pdf.byteOffset, done.pdf.byteLength);
}
