import { spawn } from 'node:child_process';
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
