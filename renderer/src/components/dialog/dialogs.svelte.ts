/**
 * The app's own prompt and confirm, as promises. Electron does not implement window.prompt
 * (renaming a design session failed in the desktop app), and native dialogs cannot be styled, labelled or tested, so every question the
 * renderer asks goes through here and is drawn by the one <AppDialog> mounted in App.svelte.
 *
 * Requests made while a dialog is open wait in a queue and are shown one after the other.
 */
import { tick } from 'svelte';
import { t } from '../../lib/i18n.svelte';

export interface TextRequest {
  title: string;
  /** Label of the text field. */
  label: string;
  initial?: string;
  /** Text of the confirm button (default "OK"). */
  confirmLabel?: string;
  /** At most this many characters after trimming (default 200, as the API's names). */
  maxLength?: number;
  /** Extra check on the trimmed value: a message refuses it, null accepts it. */
  validate?: (value: string) => string | null;
}

export interface ConfirmRequest {
  title: string;
  message: string;
  /** Text of the confirm button (default "OK"). */
  confirmLabel?: string;
  /** Draws the confirm button as a destructive action. */
  danger?: boolean;
}

export type PendingDialog =
  | ({ kind: 'text'; id: number; settle: (value: string | null) => void } & TextRequest)
  | ({ kind: 'confirm'; id: number; settle: (ok: boolean) => void } & ConfirmRequest);

export const dialogs = $state<{ queue: PendingDialog[] }>({ queue: [] });

let nextId = 1;
/** Where focus was when the first of a run of dialogs opened; it goes back there when the last closes. */
let returnTo: HTMLElement | null = null;

function open(d: PendingDialog): void {
  if (!dialogs.queue.length) returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  dialogs.queue.push(d);
}

/** Resolves with the trimmed text, or null when cancelled. An empty or whitespace-only text is refused in the dialog. */
export function askText(req: TextRequest): Promise<string | null> {
  return new Promise((resolve) => {
    open({ ...req, kind: 'text', id: nextId++, settle: resolve });
  });
}

/** Resolves true when confirmed, false when cancelled. */
export function askConfirm(req: ConfirmRequest): Promise<boolean> {
  return new Promise((resolve) => {
    open({ ...req, kind: 'confirm', id: nextId++, settle: resolve });
  });
}

/** The refusal message for a text answer, or null when it is acceptable. */
export function checkText(req: TextRequest, raw: string): string | null {
  const value = raw.trim();
  if (!value) return t('dialog:empty', { field: req.label });
  const max = req.maxLength ?? 200;
  if (value.length > max) return t('dialog:tooLong', { field: req.label, max, length: value.length });
  return req.validate?.(value) ?? null;
}

/** Settles the dialog on screen and shows the next one, if any. */
export function closeDialog(answer: string | null | boolean): void {
  const d = dialogs.queue.shift();
  if (!d) return;
  if (!dialogs.queue.length && returnTo) {
    const el = returnTo;
    returnTo = null;
    // After the DOM update, when the app is no longer inert; the opener may be gone (a deleted row).
    void tick().then(() => {
      if (el.isConnected) el.focus();
    });
  }
  if (d.kind === 'text') d.settle(typeof answer === 'string' ? answer : null);
  else d.settle(answer === true);
}
