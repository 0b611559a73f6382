import { app } from './state.svelte';

/**
 * A failed call that no view caught (a refresh started without a catch, a click handler that threw) would
 * otherwise end in the console only, and the user would go on reading stale data as if it were current.
 * Show it in the app's error banner instead.
 */
export function showUncaughtErrors(): void {
  const show = (reason: unknown) => {
    const message = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : JSON.stringify(reason);
    app.error = `Something went wrong and the view may be out of date: ${message}`;
  };
  window.addEventListener('unhandledrejection', (e) => show(e.reason));
  window.addEventListener('error', (e) => show(e.error ?? e.message));
}
