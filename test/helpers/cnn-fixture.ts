import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createAppContext, type AppContext } from '../../core/app/context.js';
import { localClient } from '../../core/app/dispatch.js';
import type { TrainJobResult, TrainProgressDetail } from '../../core/segregation/cnn/index.js';
import { tempDir } from './temp.js';

/**
 * ONE trained carbon CNN for every test that needs *a* trained model (prediction, maps, Grad-CAM, model
 * store, the Train view), instead of each file training its own.
 *
 * The demo billet and the model are made once through the contract and kept as a data folder under the
 * OS temp dir, keyed by a hash of the settings below, every file under core/ and the lock file: a change
 * to the code or to the settings makes a new one, an unchanged tree reuses it across runs. Test files
 * run in parallel processes, so the first one to ask builds it under a lock and the others wait for it.
 * Each caller gets its OWN COPY of the folder: no test sees another's changes.
 *
 * The training is also the suite's accuracy test (cnn/workflow.test.ts asserts on `trained`), which is
 * why the settings are the ones that test was written for (see its comment for the measured figures).
 */
export const CNN_FIXTURE_SETTINGS = {
  demo: { seed: 7, variant: 'base', sizePx: 1500 },
  train: {
    preset: 'compact',
    // Small and fast: 32 px native patches, 3 conv blocks (6 conv layers).
    architecture: { inputSize: 32, blocks: 3, baseFilters: 8, dense: [32, 16], dropout: 0.1 },
    hyper: { epochs: 15, patience: 8, learningRate: 0.002 },
    splits: 3,
    refit: false,
    seed: 42,
  },
} as const;

/** Generous: the first caller trains (≈ 45 s on an idle core, several times that on a loaded machine). */
export const CNN_FIXTURE_TIMEOUT_MS = 20 * 60_000;

export interface CnnFixtureRecord {
  key: string;
  billetId: number;
  modelId: number;
  /** The training job's result (metrics per split, model id). */
  trained: TrainJobResult;
  /** Every progress detail the training job reported, in order. */
  progress: TrainProgressDetail[];
  /** Wall time of the build, for the record. */
  buildSeconds: number;
}

export interface CnnFixture extends CnnFixtureRecord {
  ctx: AppContext;
  api: ReturnType<typeof localClient>;
  dataDir: string;
  /** True when this process trained the model (false: it was already there or another process made it). */
  builtHere: boolean;
  dispose(): Promise<void>;
}

const ROOT = join(tmpdir(), 'ferrolab-test-fixtures');
const RECORD = 'fixture.json';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Settings + the code that makes the data and the model (core/**, the locked dependency versions). */
export function cnnFixtureKey(): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(CNN_FIXTURE_SETTINGS));
  const root = process.cwd();
  for (const f of listFiles(join(root, 'core'))) {
    h.update(relative(root, f));
    h.update(readFileSync(f));
  }
  if (existsSync(join(root, 'package-lock.json'))) h.update(readFileSync(join(root, 'package-lock.json')));
  return h.digest('hex').slice(0, 20);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** mkdir is atomic: whoever creates the lock folder builds. A lock whose owner died is taken over. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // The owner has made the folder but not yet written its pid: treat it as alive.
      return false;
    }
    if (Number.isInteger(owner) && !pidAlive(owner)) {
      rmSync(lock, { recursive: true, force: true });
      return tryLock(lock);
    }
    return false;
  }
}

async function build(dir: string, key: string): Promise<void> {
  const started = Date.now();
  const work = `${dir}.building-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  const ctx = createAppContext({ dataDir: work, shell: 'cli', backend: 'wasm' });
  try {
    const api = localClient(ctx);
    const demo = await ctx.jobs.wait((await api['billets.loadDemo'](CNN_FIXTURE_SETTINGS.demo)).id);
    if (demo.state !== 'done') throw new Error(`CNN fixture: demo billet failed: ${demo.error?.message}`);
    const billetId = (demo.result as { billetId: number }).billetId;
    const progress: TrainProgressDetail[] = [];
    const off = ctx.bus.subscribe((ev) => {
      if (ev.type === 'job' && ev.job.kind === 'cnn-train' && ev.job.detail) progress.push(ev.job.detail as TrainProgressDetail);
    });
    const t = CNN_FIXTURE_SETTINGS.train;
    const job = await api['cnn.train']({ ...t, billetIds: [billetId], architecture: { ...t.architecture, dense: [...t.architecture.dense] } });
    const end = await ctx.jobs.wait(job.id);
    off();
    if (end.state !== 'done') throw new Error(`CNN fixture: training ${end.state}: ${end.error?.message}`);
    const trained = end.result as TrainJobResult;
    const record: CnnFixtureRecord = { key, billetId, modelId: trained.modelId, trained, progress, buildSeconds: (Date.now() - started) / 1000 };
    await ctx.close();
    writeFileSync(join(work, RECORD), JSON.stringify(record));
    renameSync(work, dir); // the folder appears complete or not at all
  } catch (e) {
    await ctx.close().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}

/** Fixture folders of other code versions, untouched for a day (others may be in use by a parallel run). */
function pruneOld(keep: string): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of readdirSync(ROOT)) {
    const p = join(ROOT, name);
    if (p === keep || !name.startsWith('cnn-')) continue;
    try {
      if (statSync(p).mtimeMs < dayAgo) rmSync(p, { recursive: true, force: true });
    } catch {
      // Removed by someone else meanwhile.
    }
  }
}

/** Makes sure the fixture folder exists (building it, or waiting for the process that does); returns its path. */
async function ensureFixture(): Promise<{ dir: string; builtHere: boolean }> {
  mkdirSync(ROOT, { recursive: true });
  const key = cnnFixtureKey();
  const dir = join(ROOT, `cnn-${key}`);
  const lock = `${dir}.lock`;
  const deadline = Date.now() + CNN_FIXTURE_TIMEOUT_MS;
  for (;;) {
    if (existsSync(join(dir, RECORD))) return { dir, builtHere: false };
    if (tryLock(lock)) {
      try {
        if (existsSync(join(dir, RECORD))) return { dir, builtHere: false };
        await build(dir, key);
        pruneOld(dir);
        return { dir, builtHere: true };
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    // Another test process is training it: wait for its folder to appear (or for its lock to go away if it failed).
    if (Date.now() > deadline) throw new Error(`CNN fixture: still being built by another process after ${CNN_FIXTURE_TIMEOUT_MS / 60_000} min (lock ${lock})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Copies the fixture data folder to `target` (which must not exist or be empty) and returns its record. */
export async function copyCnnFixture(target: string): Promise<CnnFixtureRecord & { builtHere: boolean }> {
  const { dir, builtHere } = await ensureFixture();
  cpSync(dir, target, { recursive: true, filter: (src) => !src.endsWith(RECORD) });
  const record = JSON.parse(readFileSync(join(dir, RECORD), 'utf8')) as CnnFixtureRecord;
  return { ...record, builtHere };
}

/** A fresh data folder holding the demo billet and the trained model, with a context on it. */
export async function trainedCnnFixture(): Promise<CnnFixture> {
  const { dir, cleanup } = tempDir('ferrolab-cnn-fixture-');
  try {
    const record = await copyCnnFixture(dir);
    const ctx = createAppContext({ dataDir: dir, shell: 'cli', backend: 'wasm' });
    return {
      ...record,
      ctx,
      api: localClient(ctx),
      dataDir: dir,
      async dispose() {
        await ctx.close();
        cleanup();
      },
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}
