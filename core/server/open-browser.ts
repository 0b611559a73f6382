import { spawn } from 'node:child_process';
import { BROWSER_LAUNCH_TTL_MS, type RunningServer } from './http-server.js';
import { log } from '../runtime/log.js';

/** Opens the system browser if there is one; failure is fine (the URL was printed). */
export function openInBrowser(url: string): void {
  const cmd = process.platform === 'win32' ? 'cmd' : process.platform === 'darwin' ? 'open' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '""', url] : [url];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', (err) => log.info('server', 'could not open the system browser', { launcher: cmd, err }));
    child.unref();
  } catch (err) {
    // no browser launcher on this machine; the URL was printed. Not logged: it carries the session token.
    log.info('server', 'could not open the system browser', { launcher: cmd, err });
  }
}

/**
 * Opens the app in the system browser. The URL ends up on the launcher's and the browser's command
 * line, which every local user can read (/proc/<pid>/cmdline): so it carries a one-time launch code that
 * dies after its first use or BROWSER_LAUNCH_TTL_MS, never the API token.
 */
export function openServerInBrowser(server: Pick<RunningServer, 'launchUrl'>): void {
  openInBrowser(server.launchUrl(BROWSER_LAUNCH_TTL_MS));
}
