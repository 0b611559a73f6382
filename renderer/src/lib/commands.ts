import type { MenuCommandId, MenuGroupId, MenuState } from '../../../core/api/menu-commands.js';

/** The app's views (state.svelte.ts's ViewId; repeated here so that node runs this module without Svelte). */
export type ViewId = 'billets' | 'annotate' | 'train' | 'maps' | 'jominy' | 'experiments' | 'settings';
/** The parts of a key event a shortcut is made of. */
export type KeyLike = { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean };

/**
 * The application's commands (issue 15): one table used by the Electron menu (its items send a command id
 * through the preload), the browser-mode menu button in the nav, and the keyboard shortcuts, so the three
 * cannot disagree. A view that can do a command registers a handler while it is mounted (Annotate: undo/redo;
 * Maps: save a report; the section image tools: open a section); a command nobody can do now is disabled.
 *
 * A few commands first go where they can be done: Ctrl+O from any view opens Annotate (or Billets when no billet
 * is chosen) and runs there once the view has registered its handler.
 *
 * Plain TypeScript (no runes), so unit tests run it in node: the app state it needs comes through
 * configureCommands, and App.svelte turns onCommandsChanged into a rune for the menus.
 */

/** The ids are the contract's (core/api/menu-commands.ts): the native menu sends them; test/unit/renderer/commands.test.ts keeps the two lists equal. */
export type CommandId = MenuCommandId;

export type MenuGroup = MenuGroupId;

export interface CommandSpec {
  id: CommandId;
  group: MenuGroup;
  /** Catalog key of the item's label (namespace "menu"). */
  label: string;
  /** Electron accelerator syntax ("CmdOrCtrl+Z"); the renderer's keyboard handler reads the same string. */
  accelerator?: string;
}

export const COMMANDS: readonly CommandSpec[] = [
  { id: 'file.openSection', group: 'file', label: 'menu:openSection', accelerator: 'CmdOrCtrl+O' },
  { id: 'file.saveReport', group: 'file', label: 'menu:saveReport', accelerator: 'CmdOrCtrl+S' },
  { id: 'edit.undo', group: 'edit', label: 'menu:undo', accelerator: 'CmdOrCtrl+Z' },
  { id: 'edit.redo', group: 'edit', label: 'menu:redo', accelerator: 'CmdOrCtrl+Shift+Z' },
  { id: 'view.billets', group: 'view', label: 'menu:billets', accelerator: 'Alt+1' },
  { id: 'view.annotate', group: 'view', label: 'menu:annotate', accelerator: 'Alt+2' },
  { id: 'view.train', group: 'view', label: 'menu:train', accelerator: 'Alt+3' },
  { id: 'view.maps', group: 'view', label: 'menu:maps', accelerator: 'Alt+4' },
  { id: 'view.jominy', group: 'view', label: 'menu:jominy', accelerator: 'Alt+5' },
  { id: 'view.settings', group: 'view', label: 'menu:settings', accelerator: 'Alt+6' },
  { id: 'view.experiments', group: 'view', label: 'menu:experiments', accelerator: 'Alt+7' },
  { id: 'view.theme.system', group: 'view', label: 'menu:themeSystem' },
  { id: 'view.theme.light', group: 'view', label: 'menu:themeLight' },
  { id: 'view.theme.dark', group: 'view', label: 'menu:themeDark' },
  { id: 'window.fullscreen', group: 'window', label: 'menu:fullscreen', accelerator: 'F11' },
  { id: 'help.shortcuts', group: 'help', label: 'menu:shortcuts', accelerator: 'F1' },
  { id: 'help.about', group: 'help', label: 'menu:about' },
];

export const MENU_GROUPS: readonly MenuGroup[] = ['file', 'edit', 'view', 'window', 'help'];

interface Handler {
  run: () => void | Promise<void>;
  enabled?: () => boolean;
}

const handlers = new Map<CommandId, Handler[]>();
/** A command that switched views to be done there, waiting for that view's handler. */
let pending: CommandId | null = null;

/** What the commands need of the app: the current view, a way to change it, whether a billet is chosen. */
export interface CommandHost {
  setView(view: ViewId): void;
  billetChosen(): boolean;
}
let host: CommandHost = { setView: () => {}, billetChosen: () => false };
export function configureCommands(h: CommandHost): void {
  host = h;
}

const changeListeners = new Set<() => void>();
/** Called whenever handlers come or go, so menus re-read what is enabled; returns the unsubscribe. */
export function onCommandsChanged(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}
const changed = () => changeListeners.forEach((l) => l());

/** Where a command goes when no mounted view can do it (and whether it may go there at all). */
const FALLBACK: Partial<Record<CommandId, () => ViewId | null>> = {
  'file.openSection': () => (host.billetChosen() ? 'annotate' : 'billets'),
  'file.saveReport': () => (host.billetChosen() ? 'maps' : null),
};

const VIEW_OF: Partial<Record<CommandId, ViewId>> = {
  'view.billets': 'billets',
  'view.annotate': 'annotate',
  'view.train': 'train',
  'view.maps': 'maps',
  'view.jominy': 'jominy',
  'view.settings': 'settings',
  'view.experiments': 'experiments',
};

/** Registers what a mounted view does for a command; returns the unregister (for onMount / $effect cleanup). */
export function registerCommand(id: CommandId, handler: Handler): () => void {
  const list = handlers.get(id) ?? [];
  list.push(handler);
  handlers.set(id, list);
  changed();
  if (pending === id) {
    pending = null;
    if (handler.enabled?.() !== false) void handler.run();
  }
  return () => {
    const l = handlers.get(id);
    if (l) l.splice(l.indexOf(handler), 1);
    changed();
  };
}

function active(id: CommandId): Handler | null {
  const list = handlers.get(id);
  return list && list.length ? list[list.length - 1] : null;
}

/** Whether the command can run now (menus grey out the others). */
export function isEnabled(id: CommandId): boolean {
  if (VIEW_OF[id] || id.startsWith('view.theme.') || id.startsWith('help.') || id === 'window.fullscreen') return true;
  const h = active(id);
  if (h) return h.enabled?.() !== false;
  const fb = FALLBACK[id];
  return fb ? fb() !== null : false;
}

/** Global commands that need no view: views, theme, help, window. Set by App.svelte (it owns the dialogs). */
let globalRun: ((id: CommandId) => boolean) | null = null;
export function setGlobalCommands(run: (id: CommandId) => boolean): void {
  globalRun = run;
}

/** Runs a command from the menu, the menu button or a shortcut. Returns whether anything ran. */
export function runCommand(id: CommandId): boolean {
  const view = VIEW_OF[id];
  if (view) {
    host.setView(view);
    return true;
  }
  const h = active(id);
  if (h) {
    if (h.enabled?.() === false) return false;
    void h.run();
    return true;
  }
  const fb = FALLBACK[id]?.();
  if (fb) {
    pending = id;
    host.setView(fb);
    return true;
  }
  return globalRun?.(id) ?? false;
}

/** "CmdOrCtrl+Shift+Z" → whether this key event is it. Cmd on macOS, Ctrl elsewhere; both accepted. */
export function matchesAccelerator(accelerator: string, e: KeyLike): boolean {
  const parts = accelerator.split('+');
  const key = parts.pop()!.toLowerCase();
  const mod = parts.includes('CmdOrCtrl');
  if (mod !== (e.ctrlKey || e.metaKey)) return false;
  if (parts.includes('Shift') !== e.shiftKey) return false;
  if (parts.includes('Alt') !== e.altKey) return false;
  return e.key.toLowerCase() === key;
}

/** The command a key event stands for ("Mod+Y" is redo too, as Windows users type it). */
export function commandForKey(e: KeyLike): CommandId | null {
  if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'y') return 'edit.redo';
  return COMMANDS.find((c) => c.accelerator && matchesAccelerator(c.accelerator, e))?.id ?? null;
}

/** Shown in menus and tooltips: "Ctrl+Z" (or "⌘Z" on macOS). */
export function acceleratorLabel(accelerator: string | undefined, mac = /Mac/.test((globalThis as { navigator?: { platform?: string } }).navigator?.platform ?? '')): string {
  if (!accelerator) return '';
  return mac ? accelerator.replace('CmdOrCtrl+', '⌘').replace('Shift+', '⇧').replace('Alt+', '⌥') : accelerator.replace('CmdOrCtrl', 'Ctrl');
}

/** The menu as the native one draws it: the words in the UI language (`tr` is i18n's `t`) and what is possible now. */
export function menuState(tr: (key: string) => string): MenuState {
  return {
    groups: Object.fromEntries(MENU_GROUPS.map((g) => [g, tr(`menu:${g}`)])) as Record<MenuGroup, string>,
    items: COMMANDS.map((c) => ({ id: c.id, group: c.group, label: tr(c.label), accelerator: c.accelerator, enabled: isEnabled(c.id) })),
  };
}
