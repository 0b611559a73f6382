import { app, BrowserWindow } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppContext, type AppContext } from '../../core/app/context.js';
import { findPackageRoot } from '../../core/config/version.js';
import { log } from '../../core/runtime/log.js';
import { registerIpc } from './ipc.js';
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

registerSchemePrivileges();
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  applySecurityPolicy();
  ctx = createAppContext({ dataDir: dataDirFromArgs(), shell: 'electron' });
  handleAppProtocol(defaultRendererDir(root), ctx.paths.root);
  registerIpc(ctx);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('second-instance', () => {
  const [win] = BrowserWindow.getAllWindows();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

// The shell logs to the same file as the core (logs/ferrolab.log in the data folder; electron-log is not used).
app.on('render-process-gone', (_e, _wc, d) => log.error('electron', 'a renderer process ended', { reason: d.reason, exitCode: d.exitCode }));
app.on('child-process-gone', (_e, d) => log.error('electron', 'a helper process ended', { type: d.type, reason: d.reason, exitCode: d.exitCode }));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', (e) => {
  if (!ctx) return;
  e.preventDefault();
  const c = ctx;
  ctx = null;
  void c.close().finally(() => app.quit());
});
