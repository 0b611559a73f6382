import { describe, expect, it } from 'vitest';
import type { DesignSession } from '../../../core/api/methods/jominy.js';
import { sessionText } from '../../../core/cli/commands/jominy-session-text.js';
import { DISTANCES_MM } from '../../../core/jominy/elements.js';
import { phrase } from '../../../core/api/phrase.js';
import { english } from '../../../core/runtime/english.js';

/**
 * `jominy sessions show` of a session whose run did not end well (or never ran): its first line said
 * "undefined generations (undefined)" for a draft and "(null)" for a failed run, and never the run's error or when it
 * was found interrupted. Each state is said now, with how far the run got and why it ended.
 */
describe('jominy sessions show: a session that is not a finished run says what became of it', () => {
  const base: DesignSession = {
    id: 7, name: 'Q&T', modelId: 2, predictor: { id: 2, name: 'P', deleted: false }, synthetic: false, parentSessionId: null, seed: 5,
    target: { kind: 'curve', hardness: DISTANCES_MM.map((_, i) => 55 - i) },
    settings: {}, run: null, results: [], interruptedAt: null, createdAt: '2026-11-30T21:00:00Z', updatedAt: '2026-11-30T21:00:00Z',
  };
  const run = (over: Partial<NonNullable<DesignSession['run']>>): NonNullable<DesignSession['run']> => ({
    state: 'done', error: null, generations: 12, evaluations: 480, stopReason: null, restarts: 1, threads: 1, durationMs: 2500, seeds: [5], history: [], ga: { search: 'default' }, ...over,
  });
  const first = (x: DesignSession) => {
    const text = sessionText(x);
    expect(text).not.toMatch(/undefined|\(null\)|NaN/);
    return text.split('\n')[0];
  };

  it('a draft: never run', () => {
    expect(first(base)).toBe('session 7: Q&T; seed 5; search paper-ga; draft: not run');
    expect(sessionText(base).split('\n')).toContain('no designs stored');
  });

  it('a failed run: how far it got and its error (the catalog’s words where it was a worded refusal)', () => {
    expect(first({ ...base, run: run({ state: 'failed', error: 'SQLITE_FULL: database or disk is full' }) })).toBe(
      'session 7: Q&T; seed 5; search default; failed after 12 generations, 480 profile evaluations in 2.5 s: SQLITE_FULL: database or disk is full',
    );
    const p = phrase('jominy.trust.noEnsemble');
    expect(first({ ...base, run: run({ state: 'failed', error: 'raw', errorPhrase: p }) })).toBe(
      `session 7: Q&T; seed 5; search default; failed after 12 generations, 480 profile evaluations in 2.5 s: ${english(p)}`,
    );
  });

  it('a cancelled run: how far it got', () => {
    expect(first({ ...base, run: run({ state: 'cancelled', stopReason: null, generations: 3, evaluations: 120, durationMs: 400 }) })).toBe(
      'session 7: Q&T; seed 5; search default; cancelled after 3 generations, 120 profile evaluations in 0.4 s',
    );
  });

  it('an interrupted run: how far it got and when it was found interrupted', () => {
    expect(first({ ...base, interruptedAt: '2026-11-30T22:10:00.000Z', run: run({ state: 'interrupted', generations: 4, evaluations: 160, durationMs: 0 }) })).toBe(
      'session 7: Q&T; seed 5; search default; interrupted after 4 generations, 160 profile evaluations in 0.0 s: found interrupted 2026-11-30T22:10:00.000Z (its process ended before it finished)',
    );
  });

  it('a finished run as before: its generations, why it stopped in words (not the code), its evaluations and time', () => {
    expect(first({ ...base, run: run({ stopReason: 'stalled' }) })).toBe('session 7: Q&T; seed 5; search default; 12 generations (stopped early: the best no longer improved (Stall K)), 480 profile evaluations in 2.5 s');
    expect(first({ ...base, run: run({ stopReason: 'generations' }) })).toBe('session 7: Q&T; seed 5; search default; 12 generations (the set number of generations run), 480 profile evaluations in 2.5 s');
  });
});
