import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../core/jominy/synth.js';
import { MIN_POINT_HEATS, minTrainingHeats, trainPredictor } from '../../../core/jominy/predictor.js';
import { heatKeys, splitHeats } from '../../../core/jominy/heat-split.js';
import { gradeHoldout } from '../../../core/jominy/baselines.js';
import { createRng, permutation } from '../../../core/runtime/random.js';
import { RefusedError } from '../../../core/runtime/refused.js';
import { english } from '../../../core/runtime/english.js';
import type { JominySample } from '../../../core/jominy/dataset.js';

/**
 * The split sizes its test and validation sets in heats, not rows (review 26b): sized in rows, a dataset whose heats
 * have two bars left ~4 validation heats where every point needs 5 (MIN_POINT_HEATS), and was refused "no distance was
 * measured by enough heats" although the same heats without their retests trained.
 */
const bar = (s: JominySample, dh: number): JominySample => ({ ...s, hardness: s.hardness.map((h) => +(h + dh).toFixed(1)) });
const twoBars = (n: number, seed: number): JominySample[] =>
  generateSynthetic({ n, seed }).flatMap((s, i) => {
    const h = { ...s, heatId: `H${i + 1}` };
    return [h, bar(h, 0.4)];
  });

describe('a split sized in heats', () => {
  it('37 heats with two bars each train every point, on several seeds (fails before: refused on every seed)', () => {
    const rows = twoBars(37, 3);
    for (const seed of [1, 2, 3]) {
      const m = trainPredictor(rows, { seed, maxHidden: 1, epochs: 3 });
      expect(m.skipped).toEqual([]);
      expect(m.nets).toHaveLength(15);
      // 11 test heats (30 % of 37), 5 validation heats (the floor: 15 % of 26 is 4), 21 training heats; rows twice that
      expect(m.split.heats).toEqual({ train: 21, validation: 5, test: 11 });
      expect([m.split.train, m.split.validation, m.split.test]).toEqual([42, 10, 22]);
    }
    // the same heats without their second bars train too, on the same heat counts
    const once = rows.filter((_, i) => i % 2 === 0);
    expect(trainPredictor(once, { seed: 1, maxHidden: 1, epochs: 3 }).split.heats).toEqual({ train: 21, validation: 5, test: 11 });
  });

  it('36 to 45 heats with retests (two or three rows a heat) train at the default fractions, on several seeds (fails before: refused)', () => {
    for (const [n, seed] of [[36, 4], [40, 5], [45, 6]]) {
      const rows = generateSynthetic({ n, seed }).flatMap((s, i) => {
        const h = { ...s, heatId: `R${i + 1}` };
        return i % 3 === 0 ? [h, bar(h, 0.3), bar(h, -0.2)] : i % 3 === 1 ? [h, bar(h, 0.5)] : [h];
      });
      for (const split of [seed, seed + 10, seed + 20]) {
        const m = trainPredictor(rows, { seed: split, maxHidden: 1, epochs: 3 });
        expect(m.skipped).toEqual([]);
        const h = m.split.heats!;
        expect(h.train + h.validation + h.test).toBe(n);
        expect(h.test).toBe(Math.round(0.3 * n));
        expect(h.validation).toBe(Math.max(5, Math.round(0.15 * (n - h.test))));
        expect(h.train).toBeGreaterThanOrEqual(MIN_POINT_HEATS.train);
      }
    }
  });

  it('a dataset of one row a heat is split exactly as before: the same rows in each set for a seed (every mode)', () => {
    // The rule rows always had: a seeded permutation of rows, the first round(n·test) held out, the next
    // max(5, round(rest·validation)) validation; by order the latest rows; by grade whole grades, then a permutation.
    for (const n of [36, 61, 150]) {
      const rows = generateSynthetic({ n, seed: n });
      for (const seed of [1, 7, 23]) {
        const tf = 0.3, vf = 0.15;
        const nTest = Math.round(n * tf);
        const nVal = Math.max(5, Math.round((n - nTest) * vf));
        const perm = permutation(n, createRng(seed));
        const random = splitHeats(rows, { mode: 'random', seed, testFraction: tf, validationFraction: vf });
        expect(random).toEqual({ testIdx: perm.slice(0, nTest), valIdx: perm.slice(nTest, nTest + nVal), trainIdx: perm.slice(nTest + nVal) });
        const order = rows.map((_, i) => i);
        const byOrder = splitHeats(rows, { mode: 'by-order', seed, testFraction: tf, validationFraction: vf });
        const before = order.slice(0, n - nTest).reverse();
        expect(byOrder).toEqual({ testIdx: order.slice(n - nTest), valIdx: before.slice(0, nVal), trainIdx: before.slice(nVal) });
        const rng = createRng(seed);
        const held = gradeHoldout(rows.map((s) => s.grade), tf, (k) => permutation(k, rng));
        const others = order.filter((i) => !held.includes(i));
        const rest = permutation(others.length, rng).map((k) => others[k]);
        const nValG = Math.max(5, Math.round(rest.length * vf));
        const byGrade = splitHeats(rows, { mode: 'by-grade', seed, testFraction: tf, validationFraction: vf });
        expect(byGrade).toEqual({ testIdx: held, valIdx: rest.slice(0, nValG), trainIdx: rest.slice(nValG) });
      }
    }
  });

  it('by grade, whole grades are held out until their heats (not rows) reach the test fraction (fails before: a grade of retests filled it)', () => {
    // grade A: 10 heats of 4 rows each (40 rows); grades B–F: 8 heats of one row each (40 rows). 50 heats, 80 rows.
    const base = generateSynthetic({ n: 50, seed: 14 });
    const rows = base.flatMap((s, i) => {
      const h = { ...s, heatId: `G${i + 1}`, grade: i < 10 ? 'A' : 'BCDEF'[Math.floor((i - 10) / 8)] };
      return i < 10 ? [h, bar(h, 0.2), bar(h, -0.2), bar(h, 0.4)] : [h];
    });
    const keys = heatKeys(rows);
    const heatsOf = (idx: number[]) => new Set(idx.map((i) => keys[i])).size;
    let withA = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const s = splitHeats(rows, { mode: 'by-grade', seed, testFraction: 0.3, validationFraction: 0.15 });
      const grades = new Set(s.testIdx.map((i) => rows[i].grade));
      // whole grades: no heat of a held grade trains
      expect(s.trainIdx.concat(s.valIdx).filter((i) => grades.has(rows[i].grade))).toEqual([]);
      // at least 30 % of the 50 heats held out (in rows, grade A alone — 40 of 80 rows — had been enough: 10 heats)
      expect(heatsOf(s.testIdx)).toBeGreaterThanOrEqual(15);
      if (grades.has('A')) withA++;
      expect(heatsOf(s.valIdx)).toBe(Math.max(5, Math.round(0.15 * (50 - heatsOf(s.testIdx)))));
    }
    expect(withA).toBeGreaterThan(0); // the case that differs was drawn
  });

  it('validation takes whole heats, at least 5 of them', () => {
    const rows = twoBars(40, 8);
    const keys = heatKeys(rows);
    for (const seed of [1, 2, 3, 4]) {
      const s = splitHeats(rows, { mode: 'random', seed, testFraction: 0.3, validationFraction: 0.15 });
      const heatsIn = (idx: number[]) => new Set(idx.map((i) => keys[i])).size;
      expect([heatsIn(s.testIdx), heatsIn(s.valIdx), heatsIn(s.trainIdx)]).toEqual([12, 5, 23]);
      expect([s.testIdx.length, s.valIdx.length, s.trainIdx.length]).toEqual([24, 10, 46]);
    }
  });
});

describe("the training gate says the fractions' true minimum", () => {
  it('is 36 heats at the default fractions: 30–35 single-row heats leave fewer than 20 training heats (fails before: 30 was promised, then noDistance)', () => {
    expect(minTrainingHeats({})).toBe(36);
    expect(minTrainingHeats({ testFraction: 0.15, validationFraction: 0.15 })).toBe(30);
    expect(minTrainingHeats({ testFraction: 0.5, validationFraction: 0.3 })).toBe(56); // 28 test, 8 validation, 20 training heats
    expect(minTrainingHeats({ split: 'by-grade' })).toBe(30);
    // derived, not guessed: one heat fewer leaves a set short, the minimum itself trains every point
    for (const [tf, vf] of [[0.3, 0.15], [0.2, 0.2], [0.5, 0.3]]) {
      const min = minTrainingHeats({ testFraction: tf, validationFraction: vf });
      const short = generateSynthetic({ n: min - 1, seed: 2 });
      const err = (() => {
        try {
          trainPredictor(short, { seed: 1, maxHidden: 1, epochs: 2, testFraction: tf, validationFraction: vf });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(RefusedError);
      expect(english((err as RefusedError).phrase!)).toBe(`at least ${min} heats are needed to train a predictor at these test and validation fractions (got ${min - 1} heats)`);
      const ok = trainPredictor(generateSynthetic({ n: min, seed: 2 }), { seed: 1, maxHidden: 1, epochs: 2, testFraction: tf, validationFraction: vf });
      expect(ok.skipped).toEqual([]);
    }
  });

  it('says the rows only where they differ from the heats', () => {
    const rows = twoBars(20, 5);
    expect(() => trainPredictor(rows, { seed: 1, maxHidden: 1, epochs: 2 })).toThrow('at least 36 heats are needed to train a predictor at these test and validation fractions (got 20 heats in 40 rows)');
  });
});
