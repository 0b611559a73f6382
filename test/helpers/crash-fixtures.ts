import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../../core/app/context.js';
import { localClient } from '../../core/app/dispatch.js';
import type { JobInfo } from '../../core/api/events.js';
import { generateSyntheticBillet, syntheticSectionPng } from '../../core/synth/index.js';
import { generateSynthetic, writeJominyCsv } from '../../core/jominy/index.js';

/**
 * Opens a data folder exactly as the app does (migrations, staging sweep, interrupted runs marked), as a process
 * starting now: the killed writer's leftovers are older than it, as they are for the app started after a crash.
 */
export function openAsApp(dataDir: string): AppContext {
  return createAppContext({ dataDir, shell: 'cli', backend: 'wasm', startedAtMs: Date.now() });
}

async function finish(ctx: AppContext, job: JobInfo): Promise<unknown> {
  const end = await ctx.jobs.wait(job.id);
  if (end.state !== 'done') throw new Error(`fixture job ${job.kind} ${end.state}: ${end.error?.message}`);
  return end.result;
}

/** Billets with 85 hex points each and no readings; returns their ids and point labels. */
export async function billetsWithPoints(dataDir: string, names: string[]): Promise<{ billetId: number; labels: string[] }[]> {
  const ctx = openAsApp(dataDir);
  try {
    const api = localClient(ctx);
    const out: { billetId: number; labels: string[] }[] = [];
    for (const name of names) {
      const b = await api['billets.create']({ name, nominalDiameterMm: 600 });
      const l = await api['points.layout']({ billetId: b.id, pattern: 'hex85' });
      out.push({ billetId: b.id, labels: l.points.map((p) => p.label) });
    }
    return out;
  } finally {
    await ctx.close();
  }
}

/**
 * Readings file number `k` for `labels`: every value encodes (k, point index) as 0.1 + k/1000 + index/100000,
 * written with 5 decimals, so each stored reading says which import it came from.
 */
export function readingsFileValue(k: number, index: number): number {
  return Number((0.1 + k / 1000 + index / 100000).toFixed(5));
}
export function writeReadingsFile(dir: string, k: number, labels: string[]): string {
  const file = join(dir, `readings-${k}.csv`);
  writeFileSync(file, ['label,carbon_wt_pct', ...labels.map((l, i) => `${l},${readingsFileValue(k, i).toFixed(5)}`)].join('\n') + '\n');
  return file;
}

/** Small distinct synthetic section PNGs (distinct seeds → distinct bytes → distinct content folders). */
export async function writeSectionImages(dir: string, n: number, sizePx = 320): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let k = 0; k < n; k++) {
    const file = join(dir, `section-${k}.png`);
    writeFileSync(file, await syntheticSectionPng(generateSyntheticBillet({ seed: 1000 + k, sizePx })));
    files.push(file);
  }
  return files;
}

/** A synthetic demo billet with image, points and readings, for CNN training. */
export async function demoBillet(dataDir: string, sizePx: number): Promise<number> {
  const ctx = openAsApp(dataDir);
  try {
    const r = (await finish(ctx, await localClient(ctx)['billets.loadDemo']({ seed: 7, variant: 'base', sizePx }))) as { billetId: number };
    return r.billetId;
  } finally {
    await ctx.close();
  }
}

/** Synthetic Jominy CSVs of `heats` heats each. */
export function writeJominyFiles(dir: string, n: number, heats: number): string[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: n }, (_, k) => {
    const file = join(dir, `jominy-${k}.csv`);
    writeFileSync(file, writeJominyCsv(generateSynthetic({ n: heats, seed: 500 + k }), { synthetic: 'crash-safety test data' }));
    return file;
  });
}
