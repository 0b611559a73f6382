import { app, BrowserWindow, dialog } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppContext, type AppContext } from '../../core/app/context.js';
import { findPackageRoot } from '../../core/config/version.js';
import { log } from '../../core/runtime/log.js';
import { registerIpc } from './ipc.js';
import { registerAppMenu } from './app-menu.js';
import { claimFolderLock, type LockResult } from '../../core/server/folder-lock.js';
import { registerSchemePrivileges, handleAppProtocol, rendererIndexUrl, defaultRendererDir } from './protocol.js';
import { applySecurityPolicy, secureWebPreferences } from './security.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = findPackageRoot(here);

function dataDirFromArgs(): string {
  const i = process.argv.indexOf('--data');
  if (i !== -1 && process.argv[i + 1]) return resolve(process.argv[i + 1]);
  return process.env.FERROLAB_DATA ? resolve(process.env.FERROLAB_DATA) : app.getPath('userData');
}

let ctx: AppContext | null = null;
let folderLock: LockResult | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Ferrolab',
    backgroundColor: '#f6f7f9',
    webPreferences: secureWebPreferences(join(root, 'dist', 'electron', 'preload', 'preload.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererIndexUrl);
  return win;
}

/**
 * The second instance asked us to show up: bring the existing window to the front, and if it wanted
 * another data folder, say that this one is open (Electron allows one instance per profile).
 */
function focusFirstWindow(_event: unknown, _argv: string[], _cwd: string, additional?: unknown): void {
  const [win] = BrowserWindow.getAllWindows();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  } else if (app.isReady()) createWindow();
  const wanted = (additional as { dataDir?: unknown } | undefined)?.dataDir;
  if (ctx && typeof wanted === 'string' && wanted !== ctx.paths.root) {
    void dialog.showMessageBox({ type: 'info', message: `Ferrolab is already open on ${ctx.paths.root}. Close it to open ${wanted}.` });
  }
}

/**
 * One Electron instance at a time (Electron keys its lock on the profile, so this is also one per data
 * folder; `ferrolab serve` takes the data folder's own lock). A second instance gives up before
 * anything else runs: app.quit() is asynchronous, so without the `return` it would still reach
 * whenReady and open the same database beside the first.
 */
export function main(): void {
  if (!app.requestSingleInstanceLock({ dataDir: dataDirFromArgs() })) {
    app.quit();
    return;
  }
  registerSchemePrivileges();
  app.on('second-instance', focusFirstWindow);
  // The shell logs to the same file as the core (logs/ferrolab.log in the data folder; electron-log is not used).
  app.on('render-process-gone', (_e, _wc, d) => log.error('electron', 'a renderer process ended', { reason: d.reason, exitCode: d.exitCode }));
  app.on('child-process-gone', (_e, d) => log.error('electron', 'a helper process ended', { type: d.type, reason: d.reason, exitCode: d.exitCode }));

  app.whenReady().then(() => {
    applySecurityPolicy();
    const dataDir = dataDirFromArgs();
    // `ferrolab serve` may hold this data folder already (browser mode): one UI per folder.
    folderLock = claimFolderLock(dataDir, { shell: 'electron' });
    if (!folderLock.ok) {
      const where = folderLock.owner.url ? ` at ${folderLock.owner.url}` : '';
      dialog.showErrorBox('Ferrolab is already open', `Another Ferrolab (pid ${folderLock.owner.pid}) is using the data folder ${dataDir}${where}. Use that one, or close it first.`);
      app.quit();
      return;
    }
    ctx = createAppContext({ dataDir, shell: 'electron' });
    handleAppProtocol(defaultRendererDir(root), ctx.paths.root);
    registerIpc(ctx);
    registerAppMenu();
    createWindow();
    // sections stored before migration 024 are read for their resolution tag in the background; the window does not wait
    void ctx.sweepSectionTags();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', (e) => {
    if (!ctx) {
      if (folderLock?.ok) folderLock.release();
      return;
    }
    e.preventDefault();
    const c = ctx;
    ctx = null;
    void c.close().finally(() => app.quit());
  });
}

main();
