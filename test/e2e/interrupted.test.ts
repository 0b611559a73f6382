import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { openApp, type E2eSession } from '../helpers/browser.js';
import { createModelsRepo } from '../../core/store/repos/models-repo.js';
import { createJominyRepo } from '../../core/store/repos/jominy-repo.js';
import { markInterruptedWork } from '../../core/app/interrupted-work.js';
import { localClient } from '../../core/app/dispatch.js';

/** Rows a Ferrolab process killed mid-run leaves: a training run and a design session still `running`. */
function leaveRunningByDeadProcess(s: E2eSession, jominyModelId: number): { runId: number; sessionId: number } {
  const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  const runId = createModelsRepo(s.ctx.db).startRun('carbon-cnn', { preset: 'compact', architecture: { inputSize: 64 }, billetIds: [1], splits: 3 }, 42);
  const sessionId = createJominyRepo(s.ctx.db).createSession({
    name: 'Killed design',
    modelId: jominyModelId,
    parentSessionId: null,
    target: { kind: 'curve', hardness: Array.from({ length: 15 }, (_, i) => 55 - 2 * i) },
    settings: {},
    seed: 3,
    run: { state: 'running', error: null, generations: 0, evaluations: 0, stopReason: null, restarts: 1, threads: 1, durationMs: 0, seeds: [3], history: [], ga: {} },
  });
  s.ctx.db.prepare('UPDATE training_runs SET owner_pid = ?, owner_start = NULL WHERE id = ?').run(deadPid, runId);
  s.ctx.db.prepare('UPDATE design_sessions SET owner_pid = ?, owner_start = NULL WHERE id = ?').run(deadPid, sessionId);
  return { runId, sessionId };
}

describe('runs interrupted by a killed process, end to end', () => {
  let s: E2eSession;
  let ids: { runId: number; sessionId: number };
  beforeAll(async () => {
    s = await openApp();
    // The design tab needs a predictor (a tiny one; training is covered by unit tests).
    const api = localClient(s.ctx);
    const ds = await api['jominy.datasets.synth']({ n: 40, seed: 12 });
    const end = await s.ctx.jobs.wait((await api['jominy.models.train']({ datasetId: ds.id, seed: 2, maxHidden: 2, epochs: 5 })).id);
    expect(end.state).toBe('done');
    ids = leaveRunningByDeadProcess(s, (end.result as { modelId: number }).modelId);
    // What opening the data folder does at start-up (createAppContext calls exactly this).
    expect(markInterruptedWork(s.ctx.db)).toEqual({ trainingRuns: [ids.runId], designSessions: [ids.sessionId], experimentRuns: [] });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the Train view run history shows the run as interrupted, with when it was found', async () => {
    const { page } = s;
    await page.getByRole('navigation').getByRole('button', { name: 'Train' }).click();
    const runs = page.getByTestId('run-list');
    await expect.poll(() => runs.getByTestId('run-state').allTextContents(), { timeout: 30_000 }).toEqual(['interrupted']);
    const at = createModelsRepo(s.ctx.db).getRun(ids.runId).interruptedAt!;
    // a local date and time in the interface language, as the page's own clock and locale write it (not the stored UTC text)
    const shown = await page.evaluate((iso) => new Date(iso).toLocaleString('en-GB'), at); // INTL_LOCALE.en (day/month/year)
    expect(await runs.getByTestId('run-interrupted').textContent()).toContain(shown);
  });

  it('the Jominy sessions list and the opened session show it as interrupted', async () => {
    const { page } = s;
    await page.getByRole('navigation').getByRole('button', { name: 'Jominy design' }).click();
    const row = page.getByTestId('session-table').locator('tr', { hasText: 'Killed design' });
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('interrupted');
    await row.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByTestId('session-interrupted').textContent(), { timeout: 30_000 }).toContain('Interrupted');
    await s.screenshot('interrupted-session');
  });
});
