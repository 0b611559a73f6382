import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuState } from '../../../core/api/menu-commands.js';

// Electron's binary is not installed here: the menu template is plain data, built without it.
vi.mock('electron', () => ({ BrowserWindow: class {}, ipcMain: { on: () => undefined }, Menu: {} }));
const { template } = await import('../../../electron/main/app-menu.js');

const state: MenuState = {
  groups: { file: 'Datei', edit: 'Modifica', view: 'Visualizza', window: 'Finestra', help: 'Aiuto' },
  items: [
    { id: 'file.saveReport', group: 'file', label: 'Salva rapporto (PDF)', accelerator: 'CmdOrCtrl+S', enabled: true },
    { id: 'edit.undo', group: 'edit', label: 'Annulla', accelerator: 'CmdOrCtrl+Z', enabled: false },
    { id: 'window.fullscreen', group: 'window', label: 'Schermo intero', accelerator: 'F11', enabled: true },
    { id: 'help.shortcuts', group: 'help', label: 'Scorciatoie', accelerator: 'F1', enabled: true },
  ],
};

describe('the native application menu', () => {
  it('draws File, Edit, View, Window, Help in the page\'s words; a click sends the command id to the page', () => {
    const sent: string[] = [];
    const menu = template(state, (id) => sent.push(id)).filter((m) => m.role !== 'appMenu');
    expect(menu.map((m) => m.label)).toEqual(['Datei', 'Modifica', 'Visualizza', 'Finestra', 'Aiuto']);
    const sub = (i: number) => menu[i].submenu as MenuItemConstructorOptions[];
    const save = sub(0)[0];
    expect(save).toMatchObject({ label: 'Salva rapporto (PDF)', accelerator: 'CmdOrCtrl+S', enabled: true });
    (save.click as () => void)();
    expect(sent).toEqual(['file.saveReport']);
    // Undo is greyed out where the page has no undo stack; the text-editing roles stay
    expect(sub(1)[0]).toMatchObject({ label: 'Annulla', enabled: false });
    expect(sub(1).map((i) => i.role).filter(Boolean)).toEqual(['cut', 'copy', 'paste', 'selectAll']);
    expect(sub(3)[0]).toMatchObject({ label: 'Schermo intero', role: 'togglefullscreen' });
    expect(sub(4)[0]).toMatchObject({ accelerator: 'F1' });
  });

  it('before the page has sent its menu, only the window menu is there', () => {
    expect(template(null, () => undefined)).toEqual([{ role: 'windowMenu' }]);
  });
});
