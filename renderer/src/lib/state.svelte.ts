import type { ApiEvent, Billet, DataKind, JobInfo } from '../../../core/api/index';
import { call, onCallSucceeded, onEvent } from './api';
import { bannerAfterSuccess, isUserAction, type RaisedError } from './error-scope';
import { errorText } from './phrase';
import { LastRequest } from './last-request';

export type ViewId = 'billets' | 'annotate' | 'train' | 'maps' | 'jominy' | 'experiments' | 'settings';

/** App-wide UI state: the current view and billet, the billet list, running jobs. */
export const app = $state({
  view: 'billets' as ViewId,
  billetId: null as number | null,
  billets: [] as Billet[],
  jobs: {} as Record<string, JobInfo>,
  error: null as string | null,
});

// Every data-changed event and every billet action re-reads the list: the last read is shown (an older list landing
// last dropped a billet just created, and its selection with it).
const billetsRead = new LastRequest();

export async function refreshBillets(): Promise<void> {
  const answer = await billetsRead.run(() => call('billets.list', {}));
  if (answer.stale) return;
  app.billets = answer.value;
  if (app.billetId !== null && !app.billets.some((b) => b.id === app.billetId)) app.billetId = null;
}

export function currentBillet(): Billet | null {
  return app.billets.find((b) => b.id === app.billetId) ?? null;
}

let started = false;
const listeners = new Set<(ev: ApiEvent) => void>();
/**
 * Subscribes once to core events: job progress and data changes made elsewhere (CLI, other window), then
 * hands each event to the views' listeners (onAppEvent). One stream for the app: in browser mode each
 * transport subscription is its own EventSource.
 */
export function startEventStream(): void {
  if (started) return;
  started = true;
  onEvent((ev) => {
    if (ev.type === 'job') app.jobs[ev.job.id] = ev.job;
    else if (ev.type === 'data-changed' && ev.entity === 'billet') void refreshBillets();
    for (const l of [...listeners]) l(ev);
  });
}

/** Listens to every core event after the app state has taken it in; returns the unsubscribe (for onMount). */
export function onAppEvent(listener: (ev: ApiEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Listens to data changes of some kinds (see DATA_KINDS in core/api/events.ts). */
export function onDataChanged(kinds: readonly DataKind[], listener: (kind: DataKind, id: number | undefined) => void): () => void {
  return onAppEvent((ev) => {
    if (ev.type === 'data-changed' && kinds.includes(ev.entity)) listener(ev.entity, ev.id);
  });
}

/**
 * Registers a job the UI has just started. A fast job can finish, and its events arrive over the
 * event stream, before the call that started it returns: never overwrite a newer state with the
 * call's 'running' snapshot.
 */
export function trackJob(job: JobInfo): void {
  if (!app.jobs[job.id]) app.jobs[job.id] = job;
}

let raised: RaisedError | null = null;

export function showError(err: unknown): void {
  app.error = errorText(err);
  raised = { view: app.view, message: app.error };
}

/** A user action of this view succeeded: an error the view raised earlier is out of date (error-scope.ts). */
export function actionSucceeded(view: ViewId = app.view): void {
  app.error = bannerAfterSuccess(app.error, raised, view);
  if (app.error === null) raised = null;
}

// Every view's actions go through `call`: a successful action of the current view (not a read) clears the
// error that view raised before, so no view keeps an old banner over a later success.
onCallSucceeded((method) => {
  if (isUserAction(method)) actionSucceeded();
});
