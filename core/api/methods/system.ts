import { z } from 'zod';
import { method } from '../define.js';
import { Empty, JobRef } from '../common.js';
import { JobInfo } from '../events.js';
import { PhraseSchema } from '../phrase.js';

export const BackendName = z.enum(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;
export const BackendPreference = z.enum(['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendPreference = z.infer<typeof BackendPreference>;

/**
 * The WebGPU adapter a backend runs on (as the driver names it). `software` is true for a CPU emulation of a
 * GPU (llvmpipe/lavapipe, SwiftShader, WARP, any fallback adapter): correct but slower than wasm, so never
 * chosen automatically.
 */
export const GpuAdapter = z.object({
  vendor: z.string(),
  architecture: z.string(),
  /** The driver's words: the GPU's name on some drivers, only the driver's version on others (NVIDIA's Vulkan one). */
  description: z.string(),
  /**
   * Dawn's slug of the GPU's name ("nvidia-h200"); absent when the driver gives none, and in answers stored before
   * it was carried. Worded with the description by core/api/gpu-adapter-name.ts.
   */
  device: z.string().optional(),
  software: z.boolean(),
  /** The largest buffer one shader may bind, in bytes: it caps the batch (see core/ml/webgpu-limits.ts). */
  maxStorageBufferBindingSize: z.number().optional(),
});
export type GpuAdapter = z.infer<typeof GpuAdapter>;

export const BackendInfo = z.object({
  name: BackendName,
  /** The tfjs backend id actually registered (`tensorflow`, `wasm`, `cpu`). */
  tfjsBackend: z.string(),
  gpu: z.boolean(),
  tfjsVersion: z.string(),
  detail: z.string(),
  /** `detail` as a phrase (absent for WebGPU, whose adapter is named by its own line, and where stored before it). */
  detailPhrase: PhraseSchema.optional(),
  /** Why the faster backends were not used, in the order they were tried. */
  skipped: z.array(z.object({ name: BackendName, reason: z.string(), reasonPhrase: PhraseSchema.optional() })),
  /** The GPU adapter (webgpu only; absent in runs stored before it existed). */
  adapter: GpuAdapter.nullable().optional(),
  /**
   * On a stored model: the Ferrolab version and, on wasm, the training kernels' version that made it (a seed gives
   * another model when they change; core/ml/training-kernels.ts). Absent on models stored before it existed.
   */
  trainedBy: z.string().optional(),
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

/** What a user pastes into a support message: enough to tell which build, where, and what went wrong lately. */
export const Diagnostics = z.object({
  version: z.string(),
  /** OS, release and CPU architecture, e.g. "linux 6.8.0 x64". */
  platform: z.string(),
  shell: z.enum(['electron', 'browser', 'cli']),
  versions: z.record(z.string(), z.string()),
  backend: BackendInfo.nullable(),
  backendPreference: BackendPreference,
  dataDir: z.string(),
  schemaVersion: z.number().int(),
  logFile: z.string(),
  /** The last log lines (JSON lines as written), oldest first. */
  logLines: z.array(z.string()),
  generatedAt: z.string(),
});
export type Diagnostics = z.infer<typeof Diagnostics>;

/** The languages of the interface and of the printed report (issue 15): English, Simplified Chinese, Italian. */
export const UiLanguage = z.enum(['en', 'zh', 'it']);
export type UiLanguage = z.infer<typeof UiLanguage>;
/** The interface language chosen in Settings; null until someone chooses (the UI then follows the OS). */
export const LanguageSetting = z.object({ language: UiLanguage.nullable() });
export type LanguageSetting = z.infer<typeof LanguageSetting>;

/**
 * Worker threads for all jobs together (trainings, predictions, maps, designs, reports share them): the setting, or
 * null for the default of logical cores − 1, which leaves a core to the thread that serves the UI.
 */
export const JobThreads = z.object({
  /** The cap in force now. */
  threads: z.number().int(),
  setting: z.number().int().nullable(),
  default: z.number().int(),
  logicalCores: z.number().int(),
});
export type JobThreads = z.infer<typeof JobThreads>;

export const DiagnosticsArgs = z.object({ lines: z.number().int().min(1).max(1000).default(100) }).strict().optional().default({ lines: 100 });

export const systemMethods = {
  'system.info': method('Version, data folder, schema version and ML backend', Empty, AppInfo),
  'system.setBackendPreference': method(
    'Choose which ML backend later jobs use (auto = CUDA, WebGPU on a hardware GPU, native, wasm, cpu in that order)',
    z.object({ preference: BackendPreference }),
    AppInfo,
  ),
  'system.language': method('The interface language chosen in Settings (null: none chosen yet, follow the OS)', Empty, LanguageSetting),
  'system.setLanguage': method('Choose the interface language (also the default language of printed reports)', z.object({ language: UiLanguage }), LanguageSetting),
  'system.jobThreads': method('Worker threads for all jobs together: the cap in force (a count another process stored meanwhile, e.g. `ferrolab threads N`, is put into force first, as at the start of every job), the setting and the default (logical cores − 1)', Empty, JobThreads),
  'system.setJobThreads': method(
    'Set the worker threads for all jobs together (1 … logical cores; null = the default, logical cores − 1); jobs already running keep theirs',
    z.object({ threads: z.number().int().min(1, 'at least 1 thread').max(1024).nullable() }),
    JobThreads,
  ),
  'system.diagnostics': method('Version, platform, backend, data folder, schema and the last log lines, to copy into a support message', DiagnosticsArgs, Diagnostics),
  'jobs.list': method('Long-running jobs of this session', Empty, z.array(JobInfo)),
  'jobs.get': method('One job', JobRef, JobInfo),
  'jobs.cancel': method('Ask a job to stop; it ends in state "cancelled"', JobRef, JobInfo),
};
