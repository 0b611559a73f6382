import type { FieldGrid, RenderOptions } from '../maps/index.js';
import { startWorker } from '../runtime/worker.js';
import type { MapReportInput } from './map-report.js';

/** One map of the report as data: the worker renders it (typed arrays cross the thread boundary as-is). */
export interface ReportMapSpec {
  title: string;
  caption?: string;
  grid: FieldGrid;
  render: RenderOptions;
}

export interface ReportWorkerInput {
  maps: ReportMapSpec[];
  report: Omit<MapReportInput, 'maps'>;
}

export type ReportWorkerOutput = { ok: true; pdf: Uint8Array } | { ok: false; message: string };

/**
 * Builds the PDF in a worker thread: rendering 1–4 maps at print resolution and laying out the pages
 * takes seconds of CPU, which must not stall the process that serves the UI.
 */
export function buildMapReportInWorker(input: ReportWorkerInput, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const w = startWorker(new URL('./report.worker.js', import.meta.url), { workerData: input });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void w.terminate();
      fn();
    };
    const onAbort = () => {
      const e = new Error('cancelled by the user');
      e.name = 'AbortError';
      finish(() => reject(e));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    w.on('message', (m: ReportWorkerOutput) => finish(() => (m.ok ? resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength)) : reject(new Error(`report: ${m.message}`)))));
    w.on('error', (err) => finish(() => reject(err)));
    w.on('exit', (code) => finish(() => reject(new Error(`report worker stopped (exit ${code})`))));
  });
}
