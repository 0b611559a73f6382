import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { mulberry32 } from '../../../core/runtime/random.js';
import { bundleCrashChild } from '../../helpers/crash-bundle.js';
import { runChildAndKill } from '../../helpers/crash-harness.js';
import { billetsWithPoints, demoBillet, openAsApp, readingsFileValue, writeJominyFiles, writeReadingsFile, writeSectionImages } from '../../helpers/crash-fixtures.js';

/**
 * Crash safety of Ferrolab's own write paths (issue 9). A child process runs the REAL CLI verbs (readings
 * import, billet import, CNN training, Jominy import + train, Jominy design) on a data folder, one after the
 * other, and is SIGKILLed at a seeded random moment (anywhere from opening the folder to the last commit).
 * After each kill the folder is reopened as the app opens it, and we check:
 *   - integrity: PRAGMA integrity_check is ok, foreign_key_check is empty;
 *   - lost rows: everything the child saw commit (it prints a line after each CLI call returned 0) is there;
 *   - half-done rows: every import is all-or-nothing, every billet has its image, every model row its files,
 *     no run or design session is still `running` (those of the dead child are `interrupted`);
 *   - orphans: no model folder/file without its row, no image folder without its row, nothing left in tmp/
 *     and no `.staging-*` after reopening;
 *   - refusals: every op is valid input, so an op that fails after an earlier kill is a half-done leftover.
 * FERROLAB_CRASH_SEED changes the kill moments; FERROLAB_CRASH_SCALE multiplies the number of kills.
 */

const SEED = Number(process.env.FERROLAB_CRASH_SEED ?? 91);
const SCALE = Number(process.env.FERROLAB_CRASH_SCALE ?? 1);
const ROOT = join(__dirname, '..', '..', '..');

type Category = 'integrity' | 'lost' | 'halfDone' | 'orphan' | 'refused';
interface PathReport {
  path: string;
  kills: number;
  /** Kills asked for. */
  target: number;
  rounds: number;
  committed: number;
  problems: Record<Category, string[]>;
}
const reports: PathReport[] = [];

/** What all rounds of one path have seen so far. */
interface Ledger {
  /** op number → its --json result, for every op the child saw commit. */
  committed: Map<number, unknown>;
  /** op numbers that began (committed or not). */
  begun: Set<number>;
  kills: number;
}

interface PathSpec {
  name: string;
  kills: number;
  /** A first guess of one op's duration (ms); later rounds use the measured mean. */
  opGuessMs: number;
  /** Ops given to each child (a child is killed in its first or second). */
  opsPerChild: number;
  setup(dataDir: string, workDir: string): Promise<(k: number) => string[]>;
  check(ctx: AppContext, ledger: Ledger, problem: (c: Category, msg: string) => void): void;
}

let bundle: string;
beforeAll(async () => {
  bundle = await bundleCrashChild(ROOT, join(ROOT, 'test-output', 'crash-bundle'));
});

afterAll(() => {
  if (!reports.length) return;
  const lines = ['path            kills  commits  integrity  lost  half-done  orphans  refused'];
  for (const r of reports) {
    const n = (c: Category, w: number) => String(r.problems[c].length).padStart(w);
    lines.push(`${r.path.padEnd(15)} ${String(r.kills).padStart(5)} ${String(r.committed).padStart(8)}  ${n('integrity', 9)}  ${n('lost', 4)}  ${n('halfDone', 9)}  ${n('orphan', 7)}  ${n('refused', 7)}`);
  }
  lines.push(`total kills: ${reports.reduce((a, r) => a + r.kills, 0)} (seed ${SEED})`);
  for (const r of reports) for (const [c, list] of Object.entries(r.problems)) for (const p of list.slice(0, 4)) lines.push(`  ${r.path} · ${c}: ${p.slice(0, 300)}`);
  console.log(lines.join('\n'));
});

/** Checks every path needs after the parent reopened the folder: integrity, no run or session left running. */
function checkDatabase(ctx: AppContext, problem: (c: Category, msg: string) => void): void {
  const integrity = ctx.db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') problem('integrity', `integrity_check: ${String(integrity)}`);
  const fk = ctx.db.pragma('foreign_key_check') as unknown[];
  if (fk.length) problem('integrity', `foreign_key_check: ${JSON.stringify(fk.slice(0, 3))}`);
  for (const r of ctx.db.prepare(`SELECT id, state FROM training_runs WHERE state = 'running' OR (state = 'interrupted' AND interrupted_at IS NULL)`).all() as { id: number; state: string }[]) {
    problem('halfDone', `training run ${r.id} is ${r.state} after reopening (or interrupted without a time)`);
  }
  for (const s of ctx.db.prepare(`SELECT id FROM design_sessions WHERE json_extract(run_json, '$.state') = 'running'`).all() as { id: number }[]) {
    problem('halfDone', `design session ${s.id} is still running after reopening`);
  }
}

/**
 * Leftover files, looked at once a NEW process has opened the folder as the app does at start-up (the next
 * child, before its first op): uploads in tmp/ and `.staging-*` of the killed child must be gone by then. The
 * test process itself is older than those files, so its own reopen may rightly keep them.
 */
function checkLeftovers(dataDir: string, problem: (c: Category, msg: string) => void): void {
  // One problem per leftover file (problems are deduplicated by message, so a file counts once).
  const tmp = join(dataDir, 'tmp');
  for (const f of existsSync(tmp) ? readdirSync(tmp) : []) problem('orphan', `tmp/${f} left after a restart`);
  for (const sub of ['images', 'images/patches', 'models']) {
    const dir = join(dataDir, sub);
    for (const f of existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('.staging')) : []) problem('orphan', `${sub}/${f} left after a restart`);
  }
}

async function crashPath(spec: PathSpec): Promise<PathReport> {
  const work = mkdtempSync(join(tmpdir(), `ferrolab-crash-${spec.name}-`));
  const dataDir = join(work, 'data');
  const report: PathReport = { path: spec.name, kills: 0, target: Math.round(spec.kills * SCALE), rounds: 0, committed: 0, problems: { integrity: [], lost: [], halfDone: [], orphan: [], refused: [] } };
  try {
    const opOf = await spec.setup(dataDir, work);
    const rng = mulberry32((SEED + [...spec.name].reduce((a, c) => (Math.imul(a, 31) + c.charCodeAt(0)) | 0, 0)) >>> 0).next;
    const ledger: Ledger = { committed: new Map(), begun: new Set(), kills: 0 };
    const durations: number[] = [];
    let next = 0;
    // Ops a child does not reach cost nothing; enough of them that no child runs out before its kill (the kill
    // timer runs in this process, which a busy machine may delay).
    const OPS_PER_CHILD = spec.opsPerChild;
    let lastProblem: (c: Category, msg: string) => void = () => {};
    const kills = report.target;
    for (let round = 0; ; round++) {
      // After the kills, one more child that only opens the folder, to check the last kill's leftovers.
      const last = report.kills >= kills || round >= 2 * kills;
      const meanOp = durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : spec.opGuessMs;
      // A third of the kills land in the first op (from opening the folder on), the rest in the second, after
      // the first one committed; anywhere in the op, and a little past its usual end.
      const kill = last ? null : { op: rng() < 1 / 3 ? 0 : 1, afterMs: Math.floor(rng() * meanOp * 1.1) };
      const ops = last ? [] : Array.from({ length: OPS_PER_CHILD }, (_, j) => opOf(next + j));
      const previous = lastProblem;
      const r = await runChildAndKill({ bundle, workDir: work, dataDir, ops, kill, tag: `${round}`, onOpened: () => checkLeftovers(dataDir, previous) });
      if (last) {
        if (r.stderr.trim()) report.problems.refused.push(`the last child (open only) failed: ${r.stderr.slice(-300)}`);
        break;
      }
      report.rounds++;
      if (r.killed) {
        report.kills++;
        ledger.kills++;
      } else if (r.stderr.trim()) report.problems.refused.push(`round ${round}: the child failed by itself: ${r.stderr.slice(-300)}`);
      // else: it ran all its ops before the kill came; its commits are checked like any others
      for (const i of r.begun) ledger.begun.add(next + i);
      for (const [i, v] of r.ok) ledger.committed.set(next + i, v);
      for (const [i, msg] of r.failed) report.problems.refused.push(`op ${next + i} (${ops[i].slice(0, 2).join(' ')}) failed after ${ledger.kills} kill(s): ${msg.slice(0, 300)}`);
      durations.push(...r.durations);
      next += OPS_PER_CHILD;

      const problem = (c: Category, msg: string) => {
        const line = `after round ${round} (kill at op ${kill!.op} + ${kill!.afterMs} ms${r.killed ? '' : ', not reached'}): ${msg}`;
        if (!report.problems[c].some((p) => p.endsWith(msg))) report.problems[c].push(line);
      };
      lastProblem = problem;
      const ctx = openAsApp(dataDir);
      try {
        checkDatabase(ctx, problem);
        spec.check(ctx, ledger, problem);
      } finally {
        await ctx.close();
      }
    }
    report.committed = ledger.committed.size;
  } finally {
    reports.push(report);
    rmSync(work, { recursive: true, force: true });
  }
  return report;
}

/** Every category empty; the messages say what was found where. */
function expectClean(r: PathReport): void {
  expect(r.kills).toBe(r.target);
  expect(r.committed).toBeGreaterThan(0);
  expect(r.problems.integrity).toEqual([]);
  expect(r.problems.lost).toEqual([]);
  expect(r.problems.halfDone).toEqual([]);
  expect(r.problems.orphan).toEqual([]);
  expect(r.problems.refused).toEqual([]);
}

const HEATS = 40;
const TARGET = Array.from({ length: 15 }, (_, i) => String(56 - 2 * i)).join(',');

describe('crash safety: SIGKILL at random points of the real write paths', () => {
  it.concurrent('readings import (append): every import is all there or not at all; none committed is lost', async () => {
    // Op k appends file k to billet billetOf(k): one import per billet per child, so no point reaches the
    // 20-replicate limit (a child is killed in its first or second op, at most 2 × kills children).
    const PER_CHILD = 30;
    const groups = Math.ceil((2 * Math.round(9 * SCALE) + 1) / 19);
    const billetOf = (k: number) => (k % PER_CHILD) + PER_CHILD * (Math.floor(k / PER_CHILD) % groups);
    const billets: { billetId: number; labels: string[] }[] = [];
    const r = await crashPath({
      name: 'readings',
      kills: 9,
      opsPerChild: PER_CHILD,
      opGuessMs: 80,
      async setup(dataDir, work) {
        billets.push(...(await billetsWithPoints(dataDir, Array.from({ length: PER_CHILD * groups }, (_, b) => `crash readings ${b}`))));
        return (k) => ['readings', 'import', String(billets[billetOf(k)].billetId), writeReadingsFile(work, k, billets[billetOf(k)].labels), '--append'];
      },
      check(ctx, ledger, problem) {
        const rows = ctx.db
          .prepare('SELECT p.billet_id AS billetId, p.label, r.carbon_wt_pct AS v FROM carbon_readings r JOIN sampling_points p ON p.id = r.point_id')
          .all() as { billetId: number; label: string; v: number }[];
        const byFile = new Map<number, string[]>();
        for (const row of rows) {
          const k = Math.round((row.v - 0.1) * 1000 - 0.4);
          const b = billets[billetOf(k)];
          if (!b || b.billetId !== row.billetId || readingsFileValue(k, b.labels.indexOf(row.label)) !== row.v) {
            problem('halfDone', `reading ${row.v} at ${row.label} of billet ${row.billetId} is not a value of any imported file`);
            continue;
          }
          byFile.set(k, [...(byFile.get(k) ?? []), row.label]);
        }
        const n = billets[0].labels.length;
        for (const [k, got] of byFile) {
          if (!ledger.begun.has(k)) problem('halfDone', `readings of file ${k}, which was never imported`);
          if (got.length !== n || new Set(got).size !== n) problem('halfDone', `file ${k}: ${got.length} of ${n} readings stored (a partial import)`);
        }
        for (const k of ledger.committed.keys()) {
          const got = byFile.get(k)?.length ?? 0;
          if (got < n) problem('lost', `file ${k} committed but ${n - got} of its readings are gone`);
        }
      },
    });
    expectClean(r);
  }, 300_000);

  it.concurrent('billet import: every billet has its image, every image folder its row; none committed is lost', async () => {
    const r = await crashPath({
      name: 'billet import',
      opsPerChild: 12,
      kills: 9,
      opGuessMs: 400,
      async setup(_dataDir, work) {
        const files = await writeSectionImages(join(work, 'sections'), 6);
        return (k) => ['billet', 'import', files[k % files.length], '--name', `crash billet ${k}`];
      },
      check(ctx, ledger, problem) {
        const billets = ctx.db.prepare('SELECT b.id, b.name, (SELECT COUNT(*) FROM images i WHERE i.billet_id = b.id) AS images FROM billets b').all() as { id: number; name: string; images: number }[];
        for (const b of billets) {
          const k = Number(/^crash billet (\d+)$/.exec(b.name)?.[1] ?? -1);
          if (!ledger.begun.has(k)) problem('halfDone', `billet "${b.name}" was never imported`);
          if (b.images === 0) problem('halfDone', `billet ${b.id} "${b.name}" has no image (committed before its image)`);
        }
        for (const [k, v] of ledger.committed) {
          const b = billets.find((x) => x.name === `crash billet ${k}`);
          if (!b || b.id !== (v as { billetId: number }).billetId || b.images === 0) problem('lost', `billet import ${k} committed as billet ${(v as { billetId: number }).billetId} but ${b ? 'its image is' : 'it is'} gone`);
        }
        const hashes = new Set((ctx.db.prepare('SELECT content_hash FROM images').all() as { content_hash: string }[]).map((r) => r.content_hash));
        for (const h of hashes) if (!existsSync(join(ctx.paths.images, h)) || readdirSync(join(ctx.paths.images, h)).length === 0) problem('halfDone', `image ${h.slice(0, 12)}… has a row but no files`);
        for (const d of readdirSync(ctx.paths.images)) {
          if (d.startsWith('.') || d === 'patches') continue;
          if (!hashes.has(d)) problem('orphan', `images/${d.slice(0, 12)}… has files but no row`);
        }
      },
    });
    expectClean(r);
  }, 300_000);

  it.concurrent('CNN training: every model row has its folder and every folder its row; a killed run reads interrupted', async () => {
    const r = await crashPath({
      name: 'cnn train',
      opsPerChild: 6,
      kills: 6,
      opGuessMs: 3500,
      async setup(dataDir) {
        const billetId = await demoBillet(dataDir, 400);
        return (k) => ['segregation', 'train', '--billet', String(billetId), '--preset', 'compact', '--input-size', '16', '--epochs', '1', '--splits', '2', '--batch', '64', '--no-refit', '--no-clahe', '--seed', String(k + 1)];
      },
      check(ctx, ledger, problem) {
        const models = ctx.db.prepare(`SELECT id, path FROM models WHERE kind = 'carbon-cnn'`).all() as { id: number; path: string }[];
        for (const m of models) {
          const dir = join(ctx.paths.root, m.path);
          if (!existsSync(join(dir, 'model.json')) || !existsSync(join(dir, 'weights.bin'))) problem('halfDone', `model ${m.id} has a row but its folder ${m.path} is missing or incomplete`);
        }
        const paths = new Set(models.map((m) => m.path));
        // Dot-names (staging) are checked after a restart, by checkLeftovers.
        for (const d of readdirSync(ctx.paths.models)) if (!d.startsWith('.') && !paths.has(`models/${d}`)) problem('orphan', `models/${d} has no row`);
        const runs = ctx.db.prepare(`SELECT id, state, model_id FROM training_runs`).all() as { id: number; state: string; model_id: number | null }[];
        for (const run of runs) {
          if (!['done', 'interrupted'].includes(run.state)) problem('halfDone', `training run ${run.id} is ${run.state}`);
          if (run.state === 'done' && !models.some((m) => m.id === run.model_id)) problem('halfDone', `training run ${run.id} is done but model ${run.model_id} is gone`);
        }
        if (runs.filter((x) => x.state === 'interrupted').length > ledger.kills) problem('halfDone', `more interrupted runs than kills`);
        for (const [k, v] of ledger.committed) {
          const { runId, modelId } = v as { runId: number; modelId: number };
          if (!models.some((m) => m.id === modelId) || runs.find((x) => x.id === runId)?.state !== 'done') problem('lost', `training ${k} committed (run ${runId}, model ${modelId}) but is gone`);
        }
      },
    });
    expectClean(r);
  }, 300_000);

  it.concurrent('Jominy import + train: every dataset has all its heats, every predictor its file, every file its row', async () => {
    const r = await crashPath({
      name: 'jominy train',
      opsPerChild: 10,
      kills: 9,
      opGuessMs: 900,
      async setup(_dataDir, work) {
        const files = writeJominyFiles(join(work, 'jominy'), 4, HEATS);
        return (k) => ['jominy', 'train', files[k % files.length], '--epochs', '5', '--max-hidden', '2', '--seed', String(k + 1)];
      },
      check(ctx, ledger, problem) {
        const sets = ctx.db.prepare('SELECT d.id, (SELECT COUNT(*) FROM jominy_samples s WHERE s.dataset_id = d.id) AS n FROM jominy_datasets d').all() as { id: number; n: number }[];
        for (const d of sets) if (d.n !== HEATS) problem('halfDone', `dataset ${d.id} holds ${d.n} of ${HEATS} heats (a partial import)`);
        if (sets.length > ledger.begun.size) problem('halfDone', `${sets.length} datasets from ${ledger.begun.size} imports`);
        const models = ctx.db.prepare(`SELECT id, path FROM models WHERE kind = 'jominy'`).all() as { id: number; path: string }[];
        for (const m of models) if (!existsSync(join(ctx.paths.root, m.path))) problem('halfDone', `Jominy predictor ${m.id} has a row but no file ${m.path}`);
        const paths = new Set(models.map((m) => m.path.replace(/\\/g, '/')));
        for (const f of readdirSync(ctx.paths.models)) if (!f.startsWith('.') && !paths.has(`models/${f}`)) problem('orphan', `models/${f} has no row`);
        for (const [k, v] of ledger.committed) {
          const { id, datasetId } = v as { id: number; datasetId: number };
          if (!models.some((m) => m.id === id)) problem('lost', `predictor ${id} (op ${k}) committed but is gone`);
          if (sets.find((d) => d.id === datasetId)?.n !== HEATS) problem('lost', `dataset ${datasetId} (op ${k}) committed but is gone or partial`);
        }
      },
    });
    expectClean(r);
  }, 300_000);

  it.concurrent('Jominy design: a session is done with its results or interrupted without; none committed is lost', async () => {
    const r = await crashPath({
      name: 'jominy design',
      opsPerChild: 10,
      kills: 9,
      opGuessMs: 700,
      async setup(dataDir) {
        const ctx = openAsApp(dataDir);
        let modelId: number;
        try {
          const api = localClient(ctx);
          const ds = await api['jominy.datasets.synth']({ n: HEATS, seed: 5 });
          const job = await api['jominy.models.train']({ datasetId: ds.id, seed: 1, maxHidden: 2, epochs: 5 });
          const end = await ctx.jobs.wait(job.id);
          if (end.state !== 'done') throw new Error(`fixture training ${end.state}: ${end.error?.message}`);
          modelId = (end.result as { modelId: number }).modelId;
        } finally {
          await ctx.close();
        }
        return (k) => ['jominy', 'design', '--model', String(modelId), '--target', TARGET, '--pop', '20', '--gens', '40', '--seed', String(k + 1), '--name', `crash design ${k}`];
      },
      check(ctx, ledger, problem) {
        const api = sessionRows(ctx);
        for (const s of api) {
          const k = Number(/^crash design (\d+)$/.exec(s.name)?.[1] ?? -1);
          if (!ledger.begun.has(k)) problem('halfDone', `session "${s.name}" was never started`);
          if (s.state === 'done' && s.results === 0) problem('halfDone', `session ${s.id} is done without results`);
          if (s.state === 'interrupted' && (s.results !== 0 || !s.interruptedAt)) problem('halfDone', `session ${s.id} is interrupted with ${s.results} results, time ${s.interruptedAt}`);
          if (!['done', 'interrupted'].includes(s.state)) problem('halfDone', `session ${s.id} is ${s.state}`);
        }
        for (const [k, v] of ledger.committed) {
          const { id, results } = v as { id: number; results: unknown[] };
          const s = api.find((x) => x.id === id);
          if (!s || s.state !== 'done' || s.results !== results.length) problem('lost', `design ${k} committed as session ${id} with ${results.length} results; now ${s ? `${s.state} with ${s.results}` : 'gone'}`);
        }
      },
    });
    expectClean(r);
  }, 300_000);
});

function sessionRows(ctx: AppContext) {
  return ctx.db
    .prepare(`SELECT s.id, s.name, json_extract(s.run_json, '$.state') AS state, s.interrupted_at AS interruptedAt, (SELECT COUNT(*) FROM design_results r WHERE r.session_id = s.id) AS results FROM design_sessions s`)
    .all() as { id: number; name: string; state: string; interruptedAt: string | null; results: number }[];
}
