import type { JominyDataset, JominyGrade, JominyModel } from '../../../../core/api/index';
import { call } from '../../lib/api';
import { showError } from '../../lib/state.svelte';
import { formatNumber } from '../../lib/locale-number';
import { i18n } from '../../lib/i18n.svelte';
import { LastRequest } from '../../lib/last-request';

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

// The lists are read when the view opens and again on every change made here or elsewhere. An older read landing
// after a newer one put the older lists back (a dataset just made left the Data tab until the next change): only the
// last read asked is shown; when every later one failed, the newest that came is (fallBack), with the failure.
const listsRead = new LastRequest({ fallBack: true });
let newestRead: Promise<void> = Promise.resolve();

/**
 * Re-reads the lists; resolves once they are on screen, this read's or a later one's (a caller that made a dataset
 * or a grade and then looks for it finds it), or once a failure is shown.
 */
export function refreshJominy(): Promise<void> {
  const read = readLists();
  newestRead = read;
  return read;
}

async function readLists(): Promise<void> {
  try {
    const answer = await listsRead.run(() => Promise.all([jm.meta ?? call('jominy.meta', {}), call('jominy.datasets.list', {}), call('jominy.models.list', {}), call('jominy.sessions.list', {}), call('jominy.grades.list', {})]));
    // A later read was asked meanwhile (refreshJominy ran again, so newestRead is that one's): its lists count.
    if (answer.stale) return newestRead;
    const [meta, datasets, models, sessions, grades] = answer.value;
    jm.meta = meta;
    jm.grades = grades;
    jm.datasets = datasets;
    jm.models = models;
    jm.sessions = sessions;
    if (jm.modelId === null || !models.some((m) => m.id === jm.modelId)) jm.modelId = models[0]?.id ?? null;
    if (answer.failed !== undefined) showError(answer.failed);
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
