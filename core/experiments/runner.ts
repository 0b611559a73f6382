import { phrase, type Phrase } from '../api/phrase.js';
import { CancelledError } from '../runtime/cancelled.js';
import type { JominyReproduction, JominyReproductionInput } from './registry.js';
import type { ExperimentBudget, ExperimentContext, ExperimentResult, SegregationData, SegregationExperiment } from './types.js';
import { stepSeconds } from './segregation/cnn-protocol.js';

/**
 * Runs a reproduction's experiments one after the other with checkpointed units: plain data in, events out. The
 * orchestrator runs this in a worker thread and stores what it reports (core/services/experiments); tests run it
 * in-process. A unit's key is namespaced by its experiment (`<experiment id>/<unit key>`), so two experiments may
 * use the same key without meeting.
 */

export interface RunnerEvents {
  /** Said once, before any experiment runs: the sum of the experiments' estimates (seconds) and each one's. */
  estimate(seconds: number, perExperiment: Record<string, number>): void;
  /** A unit that was computed in this attempt (never one read back from `done`). */
  unit(key: string, value: unknown, elapsedMs: number): void;
  /** An experiment finished: its position in the run and its result. */
  result(position: number, result: ExperimentResult): void;
  progress(fraction: number, message: string | Phrase): void;
}

export interface RunnerOptions {
  budget: ExperimentBudget;
  seed: number;
  backend: string;
  signal?: AbortSignal;
  /** Units finished by an earlier attempt of the run (namespaced keys → JSON values). */
  done: Readonly<Record<string, unknown>>;
  /** Experiments whose result an earlier attempt stored: not run again. */
  finished: ReadonlySet<string>;
  /**
   * This machine's speed against the one the experiments' estimates were stated for: a training step measured
   * here over REFERENCE_STEP_SECONDS (1 when not measured). Every estimate is scaled by it.
   */
  speed?: number;
}

/**
 * The reference step that scales the experiments' step model (core/experiments/segregation/cnn-protocol.ts
 * stepSeconds) to this machine: REFERENCE_STEP_ARCHITECTURE at batch 16, measured warm here against what the
 * same step model says of it (not a second stated figure).
 */
export const REFERENCE_STEP_ARCHITECTURE = { inputSize: 32, channels: 1 as const, blocks: 4, convsPerBlock: 2, baseFilters: 8, dense: [32, 16], dropout: 0.1 };
export const REFERENCE_STEP_SECONDS = stepSeconds(REFERENCE_STEP_ARCHITECTURE, 16);

function contextFor(prefix: string, opts: RunnerOptions, ev: RunnerEvents, progress: (f: number, m: string | Phrase) => void): ExperimentContext {
  return {
    budget: opts.budget,
    seed: opts.seed,
    backend: opts.backend,
    signal: opts.signal,
    progress,
    async unit<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const full = `${prefix}/${key}`;
      if (Object.prototype.hasOwnProperty.call(opts.done, full)) return structuredClone(opts.done[full]) as T;
      if (opts.signal?.aborted) throw new CancelledError();
      const t0 = performance.now();
      const value = await compute();
      // What is stored is what a resume will read: JSON. A unit that does not survive the trip is refused here,
      // not discovered at the resume.
      const json = JSON.stringify(value, (_k, v: unknown) => {
        if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`unit "${full}" holds ${v}: store null instead (units are JSON)`);
        return v;
      });
      const stored = json === undefined ? null : (JSON.parse(json) as unknown);
      ev.unit(full, stored, performance.now() - t0);
      return value;
    },
  };
}

export async function runSegregation(experiments: readonly SegregationExperiment[], data: SegregationData, opts: RunnerOptions, ev: RunnerEvents): Promise<void> {
  const todo = experiments.map((e, i) => ({ e, i })).filter(({ e }) => !opts.finished.has(e.id));
  const speed = opts.speed ?? 1;
  const per = Object.fromEntries(todo.map(({ e }) => [e.id, Math.round(Math.max(0, e.estimateSeconds(data, opts.budget)) * speed)]));
  ev.estimate(Object.values(per).reduce((a, b) => a + b, 0), per);
  for (let k = 0; k < todo.length; k++) {
    const { e, i } = todo[k];
    opts.signal?.throwIfAborted();
    const t0 = performance.now();
    const title = e.titlePhrase ?? e.title;
    ev.progress(k / todo.length, phrase('expNotes.progress.starting', { title, ref: e.paperRef }));
    const ctx = contextFor(e.id, opts, ev, (f, m) => ev.progress((k + Math.max(0, Math.min(1, f))) / todo.length, phrase('expNotes.progress.step', { title, step: m })));
    const result = await e.run(data, ctx);
    ev.result(i, { ...result, elapsedMs: result.elapsedMs || performance.now() - t0 });
  }
  ev.progress(1, phrase('expNotes.progress.done'));
}

export async function runJominy(entry: JominyReproduction, input: JominyReproductionInput, opts: RunnerOptions, ev: RunnerEvents): Promise<void> {
  const seconds = Math.round(Math.max(0, entry.estimateSeconds(input, opts.budget)));
  ev.estimate(seconds, { jominy: seconds });
  const ctx = contextFor('jominy', opts, ev, (f, m) => ev.progress(f, m));
  const results = await entry.run(input, ctx);
  results.forEach((r, i) => ev.result(i, r));
  ev.progress(1, phrase('expNotes.progress.done'));
}
