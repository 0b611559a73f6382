import { mkdirSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { dataLayout, type DataLayout, appVersion } from '../config/index.js';
import { openDatabase, closeDatabase, createBilletsRepo, createSettingsRepo } from '../store/index.js';
import { EventBus, JobManager } from '../jobs/index.js';
import { ensureBackend, releaseBackend } from '../ml/backend.js';
import { JOB_THREADS_SETTING, applyJobThreads, followJobThreads, noteJobThreads } from './job-threads.js';
import type { BackendInfo, BackendPreference } from '../api/methods/system.js';
import { UploadStore } from './upload-store.js';
import { sweepTempLeftovers, PROCESS_STARTED_MS } from '../runtime/temp-leftovers.js';
import { log, logFileIn, useLogFile } from '../runtime/log.js';
import { markInterruptedWork } from './interrupted-work.js';
import { sweepOrphanModelFiles } from './orphan-models.js';
import type { ServiceContext } from '../services/context.js';
import type { Services } from '../services/types.js';
import { createServices } from '../services/compose.js';
import type { SectionTagSweep } from '../services/sections/index.js';

export type Shell = 'electron' | 'browser' | 'cli';

/** Everything a handler may touch. Built once per process by the shell (Electron, server, CLI). */
export interface AppContext extends ServiceContext {
  readonly shell: Shell;
  readonly version: string;
  readonly paths: DataLayout;
  readonly db: Database;
  readonly schemaVersion: number;
  readonly bus: EventBus;
  readonly jobs: JobManager;
  readonly uploads: UploadStore;
  readonly repos: {
    billets: ReturnType<typeof createBilletsRepo>;
    settings: ReturnType<typeof createSettingsRepo>;
  };
  /** The application services, built once here by the composition root (core/services/compose.ts). */
  readonly services: Services;
  backendPreference(): BackendPreference;
  /** Starts the ML backend on first use; later calls return the same one. */
  backend(): Promise<BackendInfo>;
  /** The backend if it was already started, without starting it. */
  backendIfStarted(): BackendInfo | null;
  /**
   * Reads the resolution tag of every section stored before migration 024 and still pending, once, in the background
   * (core/services/sections/section-tag-sweep.ts). The desktop app and `ferrolab serve` start it once their window or
   * server is up, without waiting for it; a one-shot CLI command does not (its sections are read when it opens them).
   * The first call starts it, later calls answer the same promise; close() cancels it and waits for it. Stored answers
   * are announced as one `image` change per `announceEvery` sections (default SWEEP_ANNOUNCE_BATCH) and at the end.
   */
  sweepSectionTags(announceEvery?: number): Promise<SectionTagSweep>;
  close(): Promise<void>;
}

export interface ContextOptions {
  dataDir: string;
  shell: Shell;
  /** Overrides the stored preference for this process (CLI `--backend`, env FERROLAB_BACKEND). */
  backend?: BackendPreference;
  /**
   * When the opening process began (default: this process's start). Section folders without a row that are older
   * than this were left by an import killed in another process and are swept at open. A test that kills an import
   * and then reopens the folder from its own, older process passes the time of the reopen, as a fresh start would.
   */
  startedAtMs?: number;
}

export function createAppContext(opts: ContextOptions): AppContext {
  const paths = dataLayout(opts.dataDir);
  for (const d of [paths.root, paths.images, paths.models, paths.reports, paths.tmp]) mkdirSync(d, { recursive: true });
  const { db, schemaVersion } = openDatabase(paths.database);
  sweepTempLeftovers(paths); // uploads and staging of processes that died (kill, crash) before cleaning up
  useLogFile(logFileIn(paths.root));
  sweepOrphanModelFiles(db, paths.models); // files of model saves killed before their row committed
  markInterruptedWork(db); // runs and design sessions whose process died are marked interrupted, before any job starts
  const bus = new EventBus();
  const jobs = new JobManager(bus);
  const settings = createSettingsRepo(db);
  // The job threads chosen in Settings take effect at start; with none stored the cap stays as it is (the default,
  // or what a test or bench of this process set).
  if (settings.get<number | null>(JOB_THREADS_SETTING) != null) applyJobThreads(settings);
  else noteJobThreads(settings);
  // …and a change another process stores later (`ferrolab threads N` on this folder) when the next job starts.
  jobs.beforeEachStart(() => followJobThreads(settings));
  const billets = createBilletsRepo(db);
  let started: BackendInfo | null = null;
  const envPref = process.env.FERROLAB_BACKEND as BackendPreference | undefined;
  const tagSweepStop = new AbortController();
  let tagSweep: Promise<SectionTagSweep> | null = null;
  const ctx: AppContext = {
    shell: opts.shell,
    version: appVersion,
    paths,
    db,
    schemaVersion,
    bus,
    jobs,
    uploads: new UploadStore(paths.tmp),
    repos: { billets, settings },
    get services(): Services {
      return services;
    },
    backendPreference: () => opts.backend ?? envPref ?? settings.get<BackendPreference>('ml.backend') ?? 'auto',
    async backend() {
      started = await ensureBackend(ctx.backendPreference());
      return started;
    },
    backendIfStarted: () => started,
    sweepSectionTags: (announceEvery?: number) => (tagSweep ??= services.sections.sweepPendingTags(tagSweepStop.signal, announceEvery)),
    async close() {
      tagSweepStop.abort();
      await tagSweep; // its last header read and store finish before the database closes
      await jobs.cancelAll();
      ctx.uploads.clear();
      closeDatabase(db);
      await releaseBackend(); // a WebGPU device would keep the process from exiting
    },
  };
  // Built after the context object because they receive it (as a ServiceContext); the getter above is only read later.
  const services = createServices(ctx, { uploads: ctx.uploads });
  // Section folders that a billet import killed between placing its files and committing its rows left without
  // a row: those older than this process cannot belong to an import of ours, and one of another live process
  // is re-checked under the same write lock before its rows commit (so it fails cleanly, never half-done).
  try {
    services.sections.sweepOrphans(Math.max(0, Date.now() - (opts.startedAtMs ?? PROCESS_STARTED_MS)));
  } catch (err) {
    log.warn('store', 'could not sweep orphan section folders at open', { err });
  }
  return ctx;
}
