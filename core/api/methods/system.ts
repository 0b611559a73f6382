import { z } from 'zod';
import { method } from '../define.js';
import { Empty, JobRef } from '../common.js';
import { JobInfo } from '../events.js';

export const BackendName = z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;
export const BackendPreference = z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendPreference = z.infer<typeof BackendPreference>;

export const BackendInfo = z.object({
  name: BackendName,
  /** The tfjs backend id actually registered (`tensorflow`, `wasm`, `cpu`). */
  tfjsBackend: z.string(),
  gpu: z.boolean(),
  tfjsVersion: z.string(),
  detail: z.string(),
  /** Why the faster backends were not used, in the order they were tried. */
  skipped: z.array(z.object({ name: BackendName, reason: z.string() })),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  databaseFile: z.string(),
  schemaVersion: z.number().int(),
  shell: z.enum(['electron', 'browser', 'cli']),
  versions: z.record(z.string(), z.string()),
  backend: BackendInfo.nullable(),
  backendPreference: BackendPreference,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const systemMethods = {
  'system.info': method('Version, data folder, schema version and ML backend', Empty, AppInfo),
  'system.setBackendPreference': method(
    'Choose which ML backend later jobs use (auto = GPU, native, wasm, cpu in that order)',
    z.object({ preference: BackendPreference }),
    AppInfo,
  ),
  'jobs.list': method('Long-running jobs of this session', Empty, z.array(JobInfo)),
  'jobs.get': method('One job', JobRef, JobInfo),
  'jobs.cancel': method('Ask a job to stop; it ends in state "cancelled"', JobRef, JobInfo),
};
