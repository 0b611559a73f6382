import type { AppContext } from './context.js';

/**
 * Methods that use up the uploads they name. Once such a call ends, or the job it started ends, its
 * uploads are deleted whatever the outcome: an import that was refused must not leave its copy in tmp/
 * (the user chooses the file again). This is the one place uploads are spent; handlers and services only
 * read them. `readings.previewCsv` is not here: the dialog previews an upload several times before importing it.
 */
const CONSUMERS: ReadonlySet<string> = new Set(['images.import', 'patches.attach', 'readings.importCsv', 'jominy.datasets.import', 'cnn.models.import']);

/** A job in one of these states will not read its uploads again (a queued one still will). */
const ENDED: ReadonlySet<string> = new Set(['done', 'failed', 'cancelled']);

/** Every `uploadId` in a validated argument object (UploadRef fields, arrays of them). */
function uploadIdsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) uploadIdsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'uploadId' && typeof v === 'string') out.push(v);
      else uploadIdsIn(v, out);
    }
  }
  return out;
}

function jobIdOf(out: unknown): string | null {
  const o = out as { id?: unknown; state?: unknown; kind?: unknown } | null;
  return o && typeof o === 'object' && typeof o.id === 'string' && typeof o.state === 'string' && typeof o.kind === 'string' ? o.id : null;
}

/**
 * Runs `call` for method `name`; if the method consumes uploads, holds them while it (or its job) runs
 * and deletes them when it ends.
 */
export async function withConsumedUploads<T>(ctx: AppContext, name: string, args: unknown, call: () => Promise<T>): Promise<T> {
  if (!CONSUMERS.has(name)) return call();
  const ids = uploadIdsIn(args);
  const spent = () => ctx.uploads.consumed(ids);
  ctx.uploads.hold(ids);
  let out: T;
  try {
    out = await call();
  } catch (err) {
    spent();
    throw err;
  }
  // A job result: the job reads the uploads, so they go when it ends (done, failed or cancelled), before
  // anyone waiting on the job hears of the end: the job's last event is emitted synchronously.
  const jobId = jobIdOf(out);
  if (!jobId) spent();
  else {
    const ended = () => {
      try {
        return ENDED.has(ctx.jobs.get(jobId).state);
      } catch {
        return true;
      }
    };
    const unsubscribe = ctx.bus.subscribe((ev) => {
      if (ev.type === 'job' && ev.job.id === jobId && ENDED.has(ev.job.state)) {
        unsubscribe();
        spent();
      }
    });
    if (ended()) {
      unsubscribe();
      spent();
    }
  }
  return out;
}
