import type { Migration } from './migration.js';
import { m001Initial } from './001-initial.js';

/** Ordered, append-only. A released migration is never edited: add a new one. */
export const migrations: readonly Migration[] = [m001Initial];

export const latestSchemaVersion = migrations[migrations.length - 1].version;
export type { Migration };
