import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { createJominyRepo } from '../../../core/store/repos/jominy-repo.js';
import { isOwnerAlive, processStartTag, thisProcess } from '../../../core/runtime/process-owner.js';
import { tempDir } from '../../helpers/temp.js';
import { CNN_MODEL_KIND } from '../../../core/segregation/cnn/index.js';
import { runCli } from '../../helpers/cli.js';

/** A pid that surely belonged to a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const TARGET = { kind: 'curve', hardness: Array.from({ length: 15 }, (_, i) => 55 - 2 * i) };

/** Rows as a process that was killed mid-run leaves them. */
function leaveRunning(ctx: AppContext, owner: { pid: number | null; startTag: string | null }) {
  const runId = createModelsRepo(ctx.db).startRun(CNN_MODEL_KIND, { preset: 'compact' }, 3);
  ctx.db.prepare('UPDATE training_runs SET owner_pid = ?, owner_start = ? WHERE id = ?').run(owner.pid, owner.startTag, runId);
  const sessionId = createJominyRepo(ctx.db).createSession({ name: `s${runId}`, modelId: null, parentSessionId: null, target: TARGET, settings: {}, seed: 1, run: { state: 'running', error: null, generations: 0, evaluations: 0, stopReason: null, restarts: 1, threads: 1, durationMs: 0, seeds: [1], history: [], ga: {} } });
  ctx.db.prepare('UPDATE design_sessions SET owner_pid = ?, owner_start = ? WHERE id = ?').run(owner.pid, owner.startTag, sessionId);
  return { runId, sessionId };
}

const runState = (ctx: AppContext, id: number) => createModelsRepo(ctx.db).getRun(id);
const sessionOf = (ctx: AppContext, id: number) => createJominyRepo(ctx.db).getSession(id);

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function open(dir: string): AppContext {
  const ctx = createAppContext({ dataDir: dir, shell: 'cli', backend: 'wasm' });
  let closed: Promise<void> | null = null;
  const close = ctx.close.bind(ctx);
  ctx.close = () => (closed ??= close());
  cleanups.push(() => ctx.close());
  return ctx;
}

describe('runs left running by a dead process', () => {
  it('are marked interrupted, with the time, when the data folder opens; the API, CLI list verbs and --json show it', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const first = open(t.dir);
    const dead = leaveRunning(first, { pid: deadPid(), startTag: null });
    const legacy = leaveRunning(first, { pid: null, startTag: null }); // written before owners were recorded
    await first.close();

    const before = new Date().toISOString();
    const ctx = open(t.dir);
    for (const ids of [dead, legacy]) {
      const run = runState(ctx, ids.runId);
      expect(run.state).toBe('interrupted');
      expect(run.interruptedAt! >= before).toBe(true);
      expect(run.finishedAt).toBeNull();
      const s = sessionOf(ctx, ids.sessionId);
      expect(s.run!.state).toBe('interrupted');
      expect(s.interruptedAt! >= before).toBe(true);
    }

    const api = localClient(ctx); // outputs are validated against the contract's enums
    const runs = await api['cnn.runs.list']({});
    expect(runs.find((r) => r.id === dead.runId)).toMatchObject({ state: 'interrupted', interruptedAt: expect.any(String) });
    const sessions = await api['jominy.sessions.list']({});
    expect(sessions.find((s) => s.id === dead.sessionId)).toMatchObject({ state: 'interrupted', interruptedAt: expect.any(String) });
    expect((await api['jominy.sessions.get']({ id: dead.sessionId })).run!.state).toBe('interrupted');

    const cliRuns = await runCli(t.dir, 'segregation', 'runs', '--json');
    expect(cliRuns.rc).toBe(0);
    expect(JSON.parse(cliRuns.out).find((r: { id: number }) => r.id === dead.runId).state).toBe('interrupted');
    const cliRunsText = await runCli(t.dir, 'segregation', 'runs');
    expect(cliRunsText.out).toMatch(new RegExp(`^\\s*${dead.runId}\\s+interrupted\\s+started .*found interrupted 20`, 'm'));
    const cliSessions = await runCli(t.dir, 'jominy', 'sessions', '--json');
    expect(JSON.parse(cliSessions.out).find((s: { id: number }) => s.id === dead.sessionId).state).toBe('interrupted');
    const cliSessionsText = await runCli(t.dir, 'jominy', 'sessions');
    expect(cliSessionsText.out).toMatch(new RegExp(`^\\s*${dead.sessionId}\\s+interrupted\\s+s${dead.runId}\\b.*found interrupted 20`, 'm'));
  });

  it('never marks a run of this process or of another live process on the same folder; marks it once that process is gone', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const a = open(t.dir);
    // A run this process is running (as a job would): a second context in the same process opens the folder.
    const mine = leaveRunning(a, thisProcess());
    // A run of another live process (pid and start time as it would record them).
    const other: ChildProcess = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    cleanups.push(() => void other.kill('SIGKILL'));
    const otherOwner = { pid: other.pid!, startTag: processStartTag(other.pid!) };
    const theirs = leaveRunning(a, otherOwner);

    const b = open(t.dir);
    expect(runState(b, mine.runId).state).toBe('running');
    expect(sessionOf(b, mine.sessionId).run!.state).toBe('running');
    expect(runState(b, theirs.runId).state).toBe('running');
    expect(sessionOf(b, theirs.sessionId).run!.state).toBe('running');

    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const c = open(t.dir);
    expect(runState(c, theirs.runId).state).toBe('interrupted');
    expect(sessionOf(c, theirs.sessionId).run!.state).toBe('interrupted');
    expect(runState(c, mine.runId).state).toBe('running');
    // The run this process is still running finishes normally afterwards.
    createModelsRepo(c.db).finishRun(mine.runId, 'done', {});
    expect(runState(c, mine.runId).state).toBe('done');
  });

  it.runIf(process.platform === 'linux')('a reused pid (same pid, other start time) does not keep a dead run alive', () => {
    const me = thisProcess();
    expect(me.startTag).toMatch(/^[0-9a-f-]+:\d+$/);
    expect(isOwnerAlive(me)).toBe(true);
    expect(isOwnerAlive({ pid: me.pid, startTag: `${me.startTag}0` })).toBe(false);
    expect(isOwnerAlive({ pid: 1, startTag: 'another-boot:1' })).toBe(false);
    expect(isOwnerAlive({ pid: deadPid(), startTag: null })).toBe(false);
  });
});
