import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createAppContext, type AppContext } from '../../core/app/context.js';
import { localClient } from '../../core/app/dispatch.js';
import type { TrainJobResult, TrainProgressDetail } from '../../core/services/cnn/index.js';
import { tempDir } from './temp.js';
import { buildOnce } from './build-once.js';

/**
 * ONE trained carbon CNN for every test that needs *a* trained model (prediction, maps, Grad-CAM, model
 * store, the Train view), instead of each file training its own.
 *
 * The demo billet and the model are made once through the contract and kept as a data folder under the
 * OS temp dir, keyed by a hash of the settings below, every file under core/, this file and package-lock.json: a change
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

/** Settings + the code that makes the data and the model (core/**, this helper, the locked dependency versions). */
export function cnnFixtureKey(): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(CNN_FIXTURE_SETTINGS));
  const root = process.cwd();
  for (const f of listFiles(join(root, 'core'))) {
    h.update(relative(root, f));
    h.update(readFileSync(f));
  }
  // This file too: how the fixture is made lives in build() below.
  h.update(readFileSync(join(root, 'test', 'helpers', 'cnn-fixture.ts')));
  if (existsSync(join(root, 'package-lock.json'))) h.update(readFileSync(join(root, 'package-lock.json')));
  return h.digest('hex').slice(0, 20);
}

/** The demo billet and the trained model, made through the contract into data folder `work`. */
async function build(work: string, key: string): Promise<void> {
  const started = Date.now();
  const ctx = createAppContext({ dataDir: work, shell: 'cli', backend: 'wasm' });
  let closed = false;
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
    closed = true;
    await ctx.close(); // checkpoints the WAL: the folder is complete on disk
    writeFileSync(join(work, RECORD), JSON.stringify(record));
  } finally {
    if (!closed) await ctx.close();
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
  const { builtHere } = await buildOnce(dir, RECORD, (work) => build(work, key), { timeoutMs: CNN_FIXTURE_TIMEOUT_MS });
  if (builtHere) pruneOld(dir);
  return { dir, builtHere };
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
