import { arch, availableParallelism, release } from 'node:os';
import type { AppContext } from '../context.js';
import type { Handlers } from '../handler-types.js';
import type { AppInfo, Diagnostics, JobThreads, LanguageSetting } from '../../api/methods/system.js';
import { systemMethods, UiLanguage } from '../../api/methods/system.js';
import { defaultJobThreads } from '../../runtime/cores.js';
import { log, logFileIn, readLogTail } from '../../runtime/log.js';
import { JOB_THREADS_SETTING, applyJobThreads, followJobThreads } from '../job-threads.js';
import { ApiError } from '../../api/errors.js';
import { phrase } from '../../api/phrase.js';

function info(ctx: AppContext): AppInfo {
  return {
    version: ctx.version,
    dataDir: ctx.paths.root,
    databaseFile: ctx.paths.database,
    schemaVersion: ctx.schemaVersion,
    shell: ctx.shell,
    versions: Object.fromEntries(Object.entries(process.versions).filter(([k]) => ['node', 'electron', 'chrome', 'v8', 'modules'].includes(k)) as [string, string][]),
    backend: ctx.backendIfStarted(),
    backendPreference: ctx.backendPreference(),
  };
}

/** Starts the backend if it can; when none can, the info says so (backend null) and the log says why. */
async function startBackend(ctx: AppContext, doing: string): Promise<void> {
  await ctx.backend().catch((err: unknown) => log.error('ml', 'no ML backend could start', { doing, preference: ctx.backendPreference(), err }));
}

const LANGUAGE_KEY = 'ui.language';

/** A stored value that is no longer a language we ship reads as "not chosen" rather than failing the UI. */
function language(ctx: AppContext): LanguageSetting {
  const parsed = UiLanguage.safeParse(ctx.repos.settings.get<string>(LANGUAGE_KEY));
  return { language: parsed.success ? parsed.data : null };
}

/** The cap in force, after putting into force a setting another process stored meanwhile (job-threads.ts). */
function jobThreads(ctx: AppContext): JobThreads {
  const threads = followJobThreads(ctx.repos.settings);
  const setting = ctx.repos.settings.get<number>(JOB_THREADS_SETTING) ?? null;
  return { threads, setting, default: defaultJobThreads(), logicalCores: availableParallelism() };
}

function diagnostics(ctx: AppContext, lines: number): Diagnostics {
  const i = info(ctx);
  const logFile = logFileIn(ctx.paths.root);
  return {
    version: i.version,
    platform: `${process.platform} ${release()} ${arch()}`,
    shell: i.shell,
    versions: i.versions,
    backend: i.backend,
    backendPreference: i.backendPreference,
    dataDir: i.dataDir,
    schemaVersion: i.schemaVersion,
    logFile,
    logLines: readLogTail(logFile, lines),
    generatedAt: new Date().toISOString(),
  };
}

export const systemHandlers: Handlers<keyof typeof systemMethods> = {
  'system.info': async (_args, ctx) => {
    await startBackend(ctx, 'system.info');
    return info(ctx);
  },
  'system.setBackendPreference': async ({ preference }, ctx) => {
    ctx.repos.settings.set('ml.backend', preference);
    await startBackend(ctx, 'system.setBackendPreference');
    return info(ctx);
  },
  'system.language': (_args, ctx) => language(ctx),
  'system.setLanguage': ({ language: lang }, ctx) => {
    ctx.repos.settings.set(LANGUAGE_KEY, lang);
    return language(ctx);
  },
  'system.jobThreads': (_args, ctx) => jobThreads(ctx),
  'system.setJobThreads': ({ threads }, ctx) => {
    // More threads than cores only make them take turns (and each holds its own model): refused, not clamped.
    const cores = availableParallelism();
    if (threads !== null && threads > cores) throw ApiError.said('invalid_argument', phrase('errors.app.threadsAboveCores', { threads, cores }), { field: 'threads' });
    ctx.repos.settings.set(JOB_THREADS_SETTING, threads);
    applyJobThreads(ctx.repos.settings);
    return jobThreads(ctx);
  },
  'system.diagnostics': async ({ lines }, ctx) => {
    await startBackend(ctx, 'system.diagnostics');
    return diagnostics(ctx, lines);
  },
  'jobs.list': (_a, ctx) => ctx.jobs.list(),
  'jobs.get': ({ jobId }, ctx) => ctx.jobs.get(jobId),
  'jobs.cancel': ({ jobId }, ctx) => ctx.jobs.cancel(jobId),
};
