/**
 * The application menu's commands (issue 15), shared by the Electron main process (it builds the native menu),
 * the preload (it passes only these ids to the page, and only a well-formed menu state to the main process) and,
 * as types, the renderer's command table (renderer/src/lib/commands.svelte.ts, which a unit test keeps equal).
 *
 * The page owns the words (its i18n catalogs) and knows what is possible now (undo only where there is an undo
 * stack), so it sends both; the main process only draws them.
 */
export const MENU_COMMAND_IDS = [
  'file.openSection',
  'file.saveReport',
  'edit.undo',
  'edit.redo',
  'view.billets',
  'view.annotate',
  'view.train',
  'view.maps',
  'view.jominy',
  'view.settings',
  'view.experiments',
  'view.theme.system',
  'view.theme.light',
  'view.theme.dark',
  'window.fullscreen',
  'help.shortcuts',
  'help.about',
] as const;
export type MenuCommandId = (typeof MENU_COMMAND_IDS)[number];

export const MENU_GROUP_IDS = ['file', 'edit', 'view', 'window', 'help'] as const;
export type MenuGroupId = (typeof MENU_GROUP_IDS)[number];

export interface MenuItemState {
  id: MenuCommandId;
  group: MenuGroupId;
  label: string;
  accelerator?: string;
  enabled: boolean;
}

export interface MenuState {
  /** Translated group titles. */
  groups: Record<MenuGroupId, string>;
  items: MenuItemState[];
}

export const IPC_MENU_COMMAND = 'ferrolab-menu-command';
export const IPC_MENU_UPDATE = 'ferrolab-menu-update';

export function isMenuCommandId(v: unknown): v is MenuCommandId {
  return typeof v === 'string' && (MENU_COMMAND_IDS as readonly string[]).includes(v);
}

const ACCELERATOR = /^((CmdOrCtrl|Shift|Alt)\+){0,3}([A-Z0-9]|F([1-9]|1[0-2]))$/;
const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 120;

/** A menu state from the page, checked field by field; anything else is null (and drawn as nothing). */
export function parseMenuState(v: unknown): MenuState | null {
  if (typeof v !== 'object' || v === null) return null;
  const { groups, items } = v as { groups?: unknown; items?: unknown };
  if (typeof groups !== 'object' || groups === null || !Array.isArray(items) || items.length > MENU_COMMAND_IDS.length) return null;
  const g = groups as Record<string, unknown>;
  if (!MENU_GROUP_IDS.every((id) => text(g[id]))) return null;
  const out: MenuItemState[] = [];
  for (const it of items as unknown[]) {
    if (typeof it !== 'object' || it === null) return null;
    const { id, group, label, accelerator, enabled } = it as Record<string, unknown>;
    if (!isMenuCommandId(id) || !(MENU_GROUP_IDS as readonly unknown[]).includes(group) || !text(label) || typeof enabled !== 'boolean') return null;
    if (accelerator !== undefined && (typeof accelerator !== 'string' || !ACCELERATOR.test(accelerator))) return null;
    out.push({ id, group: group as MenuGroupId, label, accelerator: accelerator as string | undefined, enabled });
  }
  return { groups: Object.fromEntries(MENU_GROUP_IDS.map((id) => [id, g[id] as string])) as Record<MenuGroupId, string>, items: out };
}
