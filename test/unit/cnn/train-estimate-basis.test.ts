import { describe, expect, it } from 'vitest';
import { warmStepSeconds, WARM_UP } from '../../../core/ml/step-timer.js';
import { trainEstimate, plannedSteps } from '../../../core/services/cnn/training-job.js';
import { english } from '../../../core/runtime/english.js';
import { phrase } from '../../../core/api/phrase.js';

/**
 * The training estimate's step: measured warm, its basis said. A fresh worker's first steps (V8 and wasm compilation,
 * first-call set-up) took 1.9–5.2× a run's step (audit 27-F, bench/train-estimate-step.ts), and the estimate used
 * the median of steps 2–4. Timings here are scripted (a clock the test drives): only the rule is asserted.
 */

/** A step whose durations follow `durations` (then the last one), on a clock that only the steps advance. */
function scripted(durations: number[]) {
  let now = 0;
  let i = 0;
  return {
    clock: () => now,
    step: async () => {
      now += durations[Math.min(i, durations.length - 1)];
      i++;
    },
    calls: () => i,
  };
}

describe('the training estimate\'s measured step', () => {
  it('is a warm step: the cold first steps are discarded, never the basis', async () => {
    // cold 2.0 s, then slower-than-run steps while the code warms, then the run's 0.3 s
    const s = scripted([2.0, 0.9, 0.6, 0.3]);
    const m = await warmStepSeconds(s.step, WARM_UP, s.clock);
    expect(m.coldSeconds).toBe(2.0);
    expect(m.discarded).toBe(2);
    expect(m.seconds).toBeCloseTo(0.3, 12); // the old probe (1 untimed + median of 3) said 0.6
    expect(s.calls()).toBe(2 + WARM_UP.timed);
  });

  it('a small network warms for up to WARM_UP.maxDiscard steps or WARM_UP.warmUpSeconds, whichever comes first', async () => {
    expect(WARM_UP).toEqual({ minDiscard: 2, maxDiscard: 10, warmUpSeconds: 1.5, timed: 3 });
    // 0.25 s steps after a 0.5 s first one: 0.5 + 4 × 0.25 reaches 1.5 s at the 5th step (binary fractions: exact)
    const fast = scripted([0.5, 0.25]);
    const m = await warmStepSeconds(fast.step, WARM_UP, fast.clock);
    expect(m.discarded).toBe(5);
    expect(m.seconds).toBe(0.25);
    // 0.01 s steps stop at the cap
    const tiny = scripted([0.02, 0.01]);
    expect((await warmStepSeconds(tiny.step, WARM_UP, tiny.clock)).discarded).toBe(WARM_UP.maxDiscard);
  });

  it('the estimate is the warm step × the planned steps, and says its basis (backend, threads, warm-up)', () => {
    const plan = { splits: [{ train: Array.from({ length: 61 }, (_, i) => i), val: [], test: [], seed: 1, name: 's1' }], final: null };
    const steps = plannedSteps(plan, 4, 16);
    expect(steps).toBe(4 * Math.ceil((61 * 8) / 16));
    const e = trainEstimate({ seconds: 0.025, discarded: 9, threads: 1 }, steps, 16, 'wasm', 2);
    expect(e.seconds).toBeCloseTo(0.025 * 124, 12);
    expect(e).toMatchObject({ stepSeconds: 0.025, discardedSteps: 9, threads: 1, steps: 124, batchSize: 16, backend: 'wasm' });
    expect(e.basis).toBe(
      'estimate from a measured step on this backend: one warm training step (batch of 16, after 9 warm-up steps discarded) took 25.0 ms on wasm, 1 thread (2 gradient workers will shorten it) × 124 planned steps; early stopping shortens it',
    );
    expect(english(phrase('jobs.cnn.estimate', { time: '3', unit: 's', batch: 16, discarded: 9, ms: '25.0', backend: 'wasm', steps: 124 }))).toContain('after 9 warm-up steps discarded) took 25.0 ms on wasm, 1 thread × 124 planned steps');
  });
});
