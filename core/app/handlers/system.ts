import type { AppContext } from '../context.js';
import type { Handlers } from '../handler-types.js';
import type { AppInfo } from '../../api/methods/system.js';
import { systemMethods } from '../../api/methods/system.js';

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

export const systemHandlers: Handlers<keyof typeof systemMethods> = {
  'system.info': async (_args, ctx) => {
    await ctx.backend().catch(() => null);
    return info(ctx);
  },
  'system.setBackendPreference': async ({ preference }, ctx) => {
    ctx.repos.settings.set('ml.backend', preference);
    await ctx.backend().catch(() => null);
    return info(ctx);
  },
  'jobs.list': (_a, ctx) => ctx.jobs.list(),
  'jobs.get': ({ jobId }, ctx) => ctx.jobs.get(jobId),
  'jobs.cancel': ({ jobId }, ctx) => ctx.jobs.cancel(jobId),
};
