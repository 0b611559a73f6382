import { randomUUID } from 'node:crypto';
import type { JobInfo } from '../api/events.js';
import { ApiError, toErrorBody } from '../api/errors.js';
import type { EventBus } from './event-bus.js';
import { log } from '../runtime/log.js';
import { CancelledError } from '../runtime/cancelled.js';
import { english } from '../runtime/english.js';
import { phrase, type Phrase } from '../api/phrase.js';

export interface JobControl {
  readonly signal: AbortSignal;
  /**
   * fraction in 0..1 (or null if unknown); the message as a code (the interface words it in its language; the
   * CLI prints its English words) or, for text no one reads but a log, a plain string; detail is job-specific.
   */
  progress(fraction: number | null, message: string | Phrase, detail?: unknown): void;
  /** Throws an AbortError when the job was cancelled; call between units of work. */
  throwIfCancelled(): void;
}

const STARTING = phrase('jobs.starting');
const DONE = phrase('jobs.done');
const CANCELLED = phrase('jobs.cancelled');
const CANCELLING = phrase('jobs.cancelling');

export type JobRunner<T> = (ctl: JobControl) => Promise<T>;


interface Entry {
  info: JobInfo;
  abort: AbortController;
  done: Promise<unknown>;
}

/**
 * Runs long work (training, GA, imports, maps) without blocking the caller: start() returns at once
 * with a job id, and progress flows as events. Progress events are throttled so a fast loop cannot
 * flood the UI.
 */
export class JobManager {
  private jobs = new Map<string, Entry>();
  private startHooks: Array<() => void> = [];
  constructor(private bus: EventBus, private minIntervalMs = 100) {}

  /**
   * `hook` runs as each job starts, before its work: the app re-reads there what another process may have stored
   * meanwhile (the CLI's `ferrolab threads N` on the same data folder: the job threads). A hook that throws is
   * logged and the job starts all the same.
   */
  beforeEachStart(hook: () => void): void {
    this.startHooks.push(hook);
  }

  /** `label`: what the job does, as a code (worded in the interface language) or, from older callers, in English. */
  start<T>(kind: string, label: string | Phrase, run: JobRunner<T>): JobInfo {
    for (const hook of this.startHooks) {
      try {
        hook();
      } catch (err) {
        log.warn('jobs', 'a job-start hook failed; the job starts all the same', { kind, err });
      }
    }
    const id = randomUUID();
    const abort = new AbortController();
    const info: JobInfo = {
      id,
      kind,
      label: typeof label === 'string' ? label : english(label),
      ...(typeof label === 'string' ? {} : { labelPhrase: label }),
      state: 'running',
      progress: 0,
      message: english(STARTING),
      phrase: STARTING,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    let lastEmit = 0;
    const ctl: JobControl = {
      signal: abort.signal,
      progress: (fraction, message, detail) => {
        if (info.state !== 'running') return;
        info.progress = fraction === null ? null : Math.max(0, Math.min(1, fraction));
        if (typeof message === 'string') {
          info.message = message;
          delete info.phrase;
        } else {
          info.message = english(message);
          info.phrase = message;
        }
        info.detail = detail;
        const now = Date.now();
        if (now - lastEmit >= this.minIntervalMs || fraction === 1) {
          lastEmit = now;
          this.emit(info);
        }
      },
      throwIfCancelled: () => {
        if (abort.signal.aborted) throw new CancelledError();
      },
    };
    const done = (async () => {
      try {
        const result = await run(ctl);
        if (abort.signal.aborted) throw new CancelledError();
        info.state = 'done';
        info.progress = 1;
        info.message = english(DONE);
        info.phrase = DONE;
        info.result = result;
      } catch (err) {
        const body = toErrorBody(err);
        if (abort.signal.aborted || body.code === 'cancelled') {
          info.state = 'cancelled';
          info.message = english(CANCELLED);
          info.phrase = CANCELLED;
        } else {
          info.state = 'failed';
          info.message = body.message;
          info.error = { code: body.code, message: body.message };
          if (body.phrase) {
            info.phrase = body.phrase;
            info.error.phrase = body.phrase;
          } else delete info.phrase;
          (body.code === 'internal' ? log.error : log.warn)('jobs', 'job failed', { jobId: id, kind, label, code: body.code, err });
        }
      } finally {
        info.finishedAt = new Date().toISOString();
        this.emit(info);
      }
    })();
    this.jobs.set(id, { info, abort, done });
    this.emit(info);
    return { ...info };
  }

  get(id: string): JobInfo {
    const e = this.jobs.get(id);
    if (!e) throw ApiError.said('not_found', phrase('jobs.notFound', { id }));
    return { ...e.info };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((e) => ({ ...e.info }));
  }

  cancel(id: string): JobInfo {
    const e = this.jobs.get(id);
    if (!e) throw ApiError.said('not_found', phrase('jobs.notFound', { id }));
    if (e.info.state === 'running') {
      e.abort.abort(new CancelledError());
      e.info.message = english(CANCELLING);
      e.info.phrase = CANCELLING;
      this.emit(e.info);
    }
    return { ...e.info };
  }

  /** Resolves with the final JobInfo; for the CLI and tests, which wait for a job to end. */
  async wait(id: string): Promise<JobInfo> {
    const e = this.jobs.get(id);
    if (!e) throw ApiError.said('not_found', phrase('jobs.notFound', { id }));
    await e.done;
    return { ...e.info };
  }

  async cancelAll(): Promise<void> {
    for (const e of this.jobs.values()) if (e.info.state === 'running') e.abort.abort(new CancelledError());
    await Promise.allSettled([...this.jobs.values()].map((e) => e.done));
  }

  private emit(info: JobInfo): void {
    this.bus.emit({ type: 'job', job: { ...info } });
  }
}
