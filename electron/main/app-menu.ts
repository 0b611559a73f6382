import { BrowserWindow, ipcMain, Menu, type IpcMainEvent, type MenuItemConstructorOptions } from 'electron';
import { IPC_MENU_COMMAND, IPC_MENU_UPDATE, MENU_GROUP_IDS, parseMenuState, type MenuState } from '../../core/api/menu-commands.js';
import { isAppUrl } from './origin.js';

/**
 * The native application menu (File, Edit, View, Window, Help), drawn from what the page sends: its translated
 * words and which commands are possible now. A click sends the command id back to the page, which runs it through
 * the same command table as its keyboard shortcuts and browser mode's menu button. Until the page has sent its
 * menu, a minimal one (Window, with the standard roles) is shown.
 */
export function template(state: MenuState | null, send: (id: string) => void): MenuItemConstructorOptions[] {
  if (!state) return [{ role: 'windowMenu' }];
  const isMac = process.platform === 'darwin';
  const groups: MenuItemConstructorOptions[] = MENU_GROUP_IDS.map((g) => {
    const submenu: MenuItemConstructorOptions[] = state.items
      .filter((it) => it.group === g)
      .map((it) =>
        // Full screen is the window's own (Electron knows how); everything else is the page's command.
        it.id === 'window.fullscreen'
          ? { label: it.label, role: 'togglefullscreen', accelerator: it.accelerator }
          : { label: it.label, accelerator: it.accelerator, enabled: it.enabled, click: () => send(it.id) },
      );
    if (g === 'window') submenu.push({ type: 'separator' }, { role: 'minimize' }, { role: 'close' });
    if (g === 'edit') submenu.push({ type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' });
    return { label: state.groups[g], submenu };
  });
  return isMac ? [{ role: 'appMenu' }, ...groups] : groups;
}

/** Listens for the page's menu and (re)builds the application menu; returns the unregister. */
export function registerAppMenu(): () => void {
  const draw = (win: BrowserWindow | null, state: MenuState | null) => {
    const send = (id: string) => win?.webContents.send(IPC_MENU_COMMAND, id);
    Menu.setApplicationMenu(Menu.buildFromTemplate(template(state, send)));
  };
  draw(null, null);
  const onUpdate = (event: IpcMainEvent, raw: unknown) => {
    const frame = event.senderFrame;
    const win = BrowserWindow.fromWebContents(event.sender);
    if (!frame || frame.parent !== null || !win || !isAppUrl(frame.url)) return;
    const state = parseMenuState(raw);
    if (state) draw(win, state);
  };
  ipcMain.on(IPC_MENU_UPDATE, onUpdate);
  return () => ipcMain.removeListener(IPC_MENU_UPDATE, onUpdate);
}
