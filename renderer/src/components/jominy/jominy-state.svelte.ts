import type { JominyDataset, JominyGrade, JominyModel } from '../../../../core/api/index';
import { call } from '../../lib/api';
import { showError } from '../../lib/state.svelte';
import { formatNumber } from '../../lib/locale-number';
import { i18n } from '../../lib/i18n.svelte';

type SessionSummary = Awaited<ReturnType<typeof call<'jominy.sessions.list'>>>[number];
export type Meta = Awaited<ReturnType<typeof call<'jominy.meta'>>>;

/** Shared state of the Jominy pages: vocabulary from the core, lists, the chosen predictor. */
export const jm = $state({
  meta: null as Meta | null,
  datasets: [] as JominyDataset[],
  models: [] as JominyModel[],
  sessions: [] as SessionSummary[],
  /** The grade library (jominy.grades.list), by name. */
  grades: [] as JominyGrade[],
  modelId: null as number | null,
  /**
   * Percent of a dataset's heats that must have analysed an element for a model to take it (core/jominy/element-gaps.ts):
   * one setting, shown in the import preview and used by training.
   */
  minSharePct: 80,
});

export async function refreshJominy(): Promise<void> {
  try {
    if (!jm.meta) jm.meta = await call('jominy.meta', {});
    const [datasets, models, sessions, grades] = await Promise.all([call('jominy.datasets.list', {}), call('jominy.models.list', {}), call('jominy.sessions.list', {}), call('jominy.grades.list', {})]);
    jm.grades = grades;
    jm.datasets = datasets;
    jm.models = models;
    jm.sessions = sessions;
    if (jm.modelId === null || !models.some((m) => m.id === jm.modelId)) jm.modelId = models[0]?.id ?? null;
  } catch (err) {
    showError(err);
  }
}

/** Saves text as a file through the browser (both shells). */
export function download(filename: string, mime: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A number of the Jominy pages in the UI language's notation (52,3 in Italian), d fraction digits; '–' for none. */
export const fmt = (v: number | null | undefined, d = 1): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : formatNumber(v, i18n.lang, { digits: d }));
/** A distance from the quenched end as the UI language writes it (1,5 in Italian), as many decimals as it has. */
export const mm = (v: number): string => formatNumber(v, i18n.lang, { maxDigits: 4 });
