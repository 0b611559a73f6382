import { parentPort, workerData } from 'node:worker_threads';
import { renderMapPng } from '../maps/render-png.js';
import { buildMapReport } from './map-report.js';
import type { ReportWorkerInput, ReportWorkerOutput } from './report-in-worker.js';
import { postedError } from '../runtime/worker-error.js';

/** Renders the report's maps and lays out the PDF off the main thread (one report per worker). */
async function run(input: ReportWorkerInput): Promise<Uint8Array> {
  const maps = [];
  for (const m of input.maps) {
    const opts = m.render.background ? { ...m.render, background: { ...m.render.background, image: Buffer.from(m.render.background.image) } } : m.render;
    const r = await renderMapPng(m.grid, opts);
    maps.push({ title: m.title, caption: m.caption, captionPhrases: m.captionPhrases, notePhrase: m.notePhrase, png: r.png });
  }
  return buildMapReport({ ...input.report, maps });
}

run(workerData as ReportWorkerInput).then(
  (pdf) => {
    const msg: ReportWorkerOutput = { type: 'done', pdf };
    parentPort!.postMessage(msg, [pdf.buffer as ArrayBuffer]);
  },
  (err: unknown) => {
    const msg: ReportWorkerOutput = { type: 'error', ...postedError(err) };
    parentPort!.postMessage(msg);
  },
);
