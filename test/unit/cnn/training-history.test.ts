import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempContext } from '../../helpers/temp.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import type { EpochLog } from '../../../core/api/index.js';

let ctx: ReturnType<typeof tempContext>;
beforeEach(() => { ctx = tempContext(); });
afterEach(async () => ctx.dispose());

const log = (epoch: number): EpochLog => ({ epoch, loss: 0.1 / epoch, valMae: epoch % 3 ? 0.05 / epoch : null, seconds: 1.25, etaS: 100 - epoch });
const writtenBytes = () => ctx.db.prepare("SELECT COALESCE(SUM(length(log_json)), 0) AS n FROM training_epochs").get() as { n: number };

describe('training run history (appended per epoch, migration 010)', () => {
  it('after N epochs the stored history is exactly those N epochs per split, in order; each append writes one small row', () => {
    const repo = createModelsRepo(ctx.db);
    const runId = repo.startRun('carbon-cnn', { preset: 'compact' }, 42);
    const sent: Record<string, EpochLog[]> = {};
    const rowBytes: number[] = [];
    for (const name of ['split 1', 'split 2']) {
      for (let e = 1; e <= 40; e++) {
        const before = writtenBytes().n;
        repo.appendEpoch(runId, name, log(e));
        rowBytes.push(writtenBytes().n - before);
        (sent[name] ??= []).push(log(e));
      }
    }
    expect(repo.getRun(runId).history).toEqual(sent);
    expect(repo.listRuns('carbon-cnn')[0].history).toEqual(sent);
    // The 80th append writes about as much as the 1st (digits vary), not the whole curve so far (40 × that).
    expect(Math.max(...rowBytes)).toBeLessThan(2 * rowBytes[0]);
    expect((ctx.db.prepare('SELECT history_json FROM training_runs WHERE id = ?').get(runId) as { history_json: string | null }).history_json).toBeNull();
    // Finishing (the status part) keeps the appended history.
    repo.finishRun(runId, 'cancelled', { error: null });
    expect(repo.getRun(runId)).toMatchObject({ state: 'cancelled', history: sent });
  });

  it('a run stored before migration 010 keeps its history_json; runs do not see each other’s epochs', () => {
    const repo = createModelsRepo(ctx.db);
    const old = repo.startRun('carbon-cnn', {}, 1);
    const legacy = { final: [log(1), log(2)] };
    ctx.db.prepare('UPDATE training_runs SET history_json = ? WHERE id = ?').run(JSON.stringify(legacy), old);
    const fresh = repo.startRun('carbon-cnn', {}, 2);
    repo.appendEpoch(fresh, 'final', log(1));
    expect(repo.getRun(old).history).toEqual(legacy);
    expect(repo.getRun(fresh).history).toEqual({ final: [log(1)] });
    expect(() => repo.appendEpoch(fresh, 'final', log(1))).toThrow(/UNIQUE/);
  });
});
