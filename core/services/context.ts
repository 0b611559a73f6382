import type { Database } from 'better-sqlite3';
import type { DataLayout } from '../config/index.js';
import type { EventBus, JobManager } from '../jobs/index.js';
import type { BackendInfo, BackendPreference } from '../api/methods/system.js';
import type { BilletsRepo, SettingsRepo } from '../store/index.js';

/**
 * What an application service may touch: the data folder, the connection (through repos), jobs and events,
 * the backend preference. core/app's AppContext extends it; services never see the shell, uploads or dispatch.
 */
export interface ServiceContext {
  readonly version: string;
  readonly paths: DataLayout;
  readonly db: Database;
  readonly bus: EventBus;
  readonly jobs: JobManager;
  readonly repos: { billets: BilletsRepo; settings: SettingsRepo };
  backendPreference(): BackendPreference;
  /** Starts the ML backend on first use; later calls return the same one. */
  backend(): Promise<BackendInfo>;
}
