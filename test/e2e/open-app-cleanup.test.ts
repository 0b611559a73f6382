import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { openApp } from '../helpers/browser.js';

// The helper every e2e file opens its app with: a page that never holds its API token (a spent launch code here; a
// busy machine in practice) must not leave a browser, a server and temp folders behind for the rest of the run.
describe('openApp', () => {
  it('closes the browser, server and temp folders it opened when the token wait times out, then rethrows (task 25-G)', async () => {
    let dataDir = '';
    let base = '';
    const failed = await openApp({
      prepare: (dir) => { dataDir = dir; },
      launchUrl: (url) => { base = url.replace(/#.*$/, ''); return `${base}#code=spent`; },
      tokenWaitMs: 3000,
    }).then(() => null, (err: Error) => err);
    expect(failed?.message).toBe('the page held no API token within 3000 ms of opening the launch address');
    // fails before: the wait threw an EvalError (the app's CSP refuses the string Playwright polls with), and the data
    // folder stayed and the server still answered
    expect([dataDir !== '', existsSync(dataDir)]).toEqual([true, false]);
    const answered = await fetch(base).then((r) => r.status, (err: Error) => (err.cause as { code?: string } | undefined)?.code ?? err.message);
    expect(answered).toBe('ECONNREFUSED');
  });
});
