import { afterAll, beforeAll } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../../core/app/context.js';
import { startServer, type RunningServer } from '../../core/server/http-server.js';
import { demoBilletIn } from './demo-billet.js';
import type { BackendPreference } from '../../core/api/methods/system.js';

export const TEST_OUTPUT = join(process.cwd(), 'test-output');

/** Where browser mode's page keeps its API token once the launch code is exchanged (TOKEN_KEY in renderer/src/lib/api.ts). */
const PAGE_TOKEN_KEY = 'ferrolab-token';

export interface E2eSession {
  ctx: AppContext;
  server: RunningServer;
  /** Persistent context on a fresh --user-data-dir (Playwright's way of passing a profile folder). */
  context: BrowserContext;
  page: Page;
  dataDir: string;
  /** Saves a screenshot under test-output/ and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  /** Fills the (empty) data folder before the app opens it, e.g. with a copy of the trained CNN fixture. */
  prepare?: (dataDir: string) => unknown;
  /** The browser's (the "OS") language, e.g. 'it-IT': navigator.languages follows it. Default: Chromium's own (en-US). */
  locale?: string;
  /** The ML backend the app runs on, as `--backend` chooses it. Default: wasm. */
  backend?: BackendPreference;
  /** How long the page may take to hold its API token. Default: 60 s. */
  tokenWaitMs?: number;
  /** The address the page is opened at, from the server's launch address (a test of openApp itself spoils the code). */
  launchUrl?: (url: string) => string;
}

/**
 * Browser mode on a temp data folder, driven by Debian's chromium (the renderer must be built:
 * `npm test` builds first). Each session has its own profile dir and data dir, so no file depends
 * on another's data or on the order files run in (the e2e project shuffles them to keep it so).
 */
export async function openApp(opts: OpenAppOptions = {}): Promise<E2eSession> {
  // What is opened, closed in reverse order when a later step fails: a token wait that timed out had left the
  // browser, the server, the app's context and both temp folders behind (a Chromium per failed file on a busy machine).
  const opened: Array<() => unknown> = [];
  const closeOpened = async () => {
    for (const close of opened.reverse()) {
      try { await close(); } catch (err) { process.stderr.write(`[openApp cleanup] ${String(err)}\n`); }
    }
  };
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'ferrolab-e2e-'));
    opened.push(() => rmSync(dataDir, { recursive: true, force: true }));
    await opts.prepare?.(dataDir);
    const profile = mkdtempSync(join(tmpdir(), 'ferrolab-chromium-'));
    opened.push(() => rmSync(profile, { recursive: true, force: true }));
    const ctx = createAppContext({ dataDir, shell: 'browser', backend: opts.backend ?? 'wasm' });
    opened.push(() => ctx.close());
    const server = await startServer(ctx);
    opened.push(() => server.close());
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1366, height: 768 },
      ...(opts.locale ? { locale: opts.locale } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    opened.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => {
      process.stderr.write(`[page error] ${err.message}\n`);
    });
    const url = server.launchUrl();
    await page.goto(opts.launchUrl ? opts.launchUrl(url) : url); // one-time code, exchanged by the page for the token
    // The page makes that exchange itself once its script runs (renderer/src/lib/api.ts), after goto has returned. A
    // reload before the answer is read had lost the session for good (train.test.ts lost 5 of 6 tests so, 60 s each);
    // the page now trades its code again after a reload (test/e2e/launch-code-reload.test.ts), but a test's first
    // step should still find the app as a user does, holding its session: it is handed out once the page holds its token.
    // Polled from here: page.waitForFunction polls inside the page by evaluating a string, which the app's CSP (no
    // 'unsafe-eval') refuses, so it threw an EvalError at once whenever the token was not there at its first look.
    const tokenWaitMs = opts.tokenWaitMs ?? 60_000;
    // (a loop, not expect.poll: openApp runs in beforeAll hooks, where expect.poll is refused)
    const deadline = Date.now() + tokenWaitMs;
    while (!(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(PAGE_TOKEN_KEY)}) !== null`))) {
      if (Date.now() > deadline) throw new Error(`the page held no API token within ${tokenWaitMs} ms of opening the launch address`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
    return session(ctx, server, context, page, dataDir, profile);
  } catch (err) {
    await closeOpened();
    throw err;
  }
}

function session(ctx: AppContext, server: RunningServer, context: BrowserContext, page: Page, dataDir: string, profile: string): E2eSession {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  return {
    ctx,
    server,
    context,
    page,
    dataDir,
    async screenshot(name) {
      const file = join(TEST_OUTPUT, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      await server.close();
      await ctx.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One app for the whole test file (a describe's tests share it): opened before its first test with openApp(`opts`),
 * closed after its last. The session's fields are filled in when it has opened, so read them inside tests and hooks.
 */
export function appPerFile(opts: OpenAppOptions = {}): E2eSession {
  const s = {} as E2eSession;
  beforeAll(async () => {
    Object.assign(s, await openApp(opts));
  });
  afterAll(async () => {
    await s.close?.();
  });
  return s;
}

/** Loads the synthetic demo billet into the app's data folder (base variant) and returns its id; a failed job throws with its error. */
export const loadDemoBillet = (s: E2eSession, opts: { seed: number; sizePx: number }): Promise<number> => demoBilletIn(s.ctx, opts);

/** The navigation bar's button for a view, by its whole label in the language the interface speaks now. */
export const navButton = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });

/** Opens Settings (`settings`: its navigation label in the current language) and switches the interface to `lang`. */
export async function switchLanguage(page: Page, settings: string, lang: 'en' | 'zh' | 'it'): Promise<void> {
  await navButton(page, settings).click();
  await page.getByTestId('ui-language').selectOption(lang);
}

/** Drags an element by (dx, dy) screen px from its centre, in two stages of mouse moves (as a hand does). */
export async function dragBy(page: Page, target: Locator, dx: number, dy: number): Promise<void> {
  const box = (await target.boundingBox())!;
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + dx / 2, cy + dy / 2, { steps: 5 });
  await page.mouse.move(cx + dx, cy + dy, { steps: 5 });
  await page.mouse.up();
}

/**
 * Drags point `index` of a Jominy chart (its `data-points`, chart px) by `dy` px, in two stages of mouse moves,
 * as the design view's target is drawn by hand.
 */
export async function dragChartPoint(page: Page, chart: Locator, index: number, dy: number): Promise<void> {
  const pts = JSON.parse((await chart.getAttribute('data-points'))!) as [number, number][];
  const box = (await chart.boundingBox())!;
  const [x, y] = pts[index];
  await page.mouse.move(box.x + x, box.y + y);
  await page.mouse.down();
  await page.mouse.move(box.x + x, box.y + y + dy / 2, { steps: 3 });
  await page.mouse.move(box.x + x, box.y + y + dy, { steps: 3 });
  await page.mouse.up();
}
