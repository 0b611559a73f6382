import type { Page, Route } from 'playwright-core';

/** One API call the page made: its method, the body it sent, and whether the page has read its answer yet. */
export interface PageCall {
  method: string;
  body: string | null;
  read: boolean;
}

/**
 * Logs, inside the page, every API call as `fetch` is called and when the page has read its answer (browser mode's
 * bridge, renderer/src/lib/api.ts, looks `fetch` up at each call). Read with `apiCalls`: a page.evaluate runs in a
 * task after the one that made a call or read an answer, so what it returns is what the page's own code has done,
 * no waiting on the network's timing.
 */
export async function logApiCalls(page: Page): Promise<void> {
  await page.evaluate(LOG_API_CALLS);
}

// Page-side code (the tests' tsconfig has no DOM types): wraps window.fetch once.
const LOG_API_CALLS = `(() => {
  if (window.__apiCalls) return;
  const calls = (window.__apiCalls = []);
  const original = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const m = /^\\/api\\/([a-zA-Z.]+)$/.exec(new URL(String(input instanceof Request ? input.url : input), location.href).pathname);
    if (!m) return original(input, init);
    const entry = { method: m[1], body: typeof init?.body === 'string' ? init.body : null, read: false };
    calls.push(entry);
    const res = await original(input, init);
    const json = res.json.bind(res);
    res.json = async () => {
      const value = await json();
      entry.read = true;
      return value;
    };
    return res;
  };
})()`;

/** The calls of `method` the page has made so far, in the order it made them. */
export function apiCalls(page: Page, method: string): Promise<PageCall[]> {
  return page.evaluate<PageCall[]>(`(window.__apiCalls ?? []).filter((c) => c.method === ${JSON.stringify(method)})`);
}

/** The calls of `method` so far as [the argument `key` they sent, whether the page has read the answer], in order. */
export async function readsBy(page: Page, method: string, key = 'id'): Promise<[unknown, boolean][]> {
  return (await apiCalls(page, method)).map((c) => [(JSON.parse(c.body ?? '{}') as Record<string, unknown>)[key], c.read]);
}

export interface HoldOptions {
  /** Hold the first request whose arguments pass this (default: the first of the method). */
  match?: (args: Record<string, unknown>) => boolean;
  /**
   * The server answers at once (the data as they are now) and the page gets that answer only at `release`: an old
   * read landing after newer ones. Without it the request itself waits, and the server answers it at release.
   */
  snapshot?: boolean;
}

/**
 * Holds the next request of `method` (a slow answer) until `release`; the others pass. `arrived` resolves once it
 * is held (in snapshot mode, once the server has answered it). The way to make an older answer land after a newer
 * one, deterministically.
 */
export async function holdNext(page: Page, method: string, opts: HoldOptions = {}): Promise<{ arrived: Promise<void>; release: () => Promise<void> }> {
  let held: (() => Promise<void>) | null = null;
  let taken = false;
  let arrived!: () => void;
  const arrivedP = new Promise<void>((r) => (arrived = r));
  const pattern = `**/api/${method}`;
  const handler = async (route: Route) => {
    const args = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
    if (taken || (opts.match && !opts.match(args))) return route.continue();
    taken = true;
    if (opts.snapshot) {
      const response = await route.fetch();
      held = () => route.fulfill({ response });
    } else held = () => route.continue();
    arrived();
  };
  await page.route(pattern, handler);
  return {
    arrived: arrivedP,
    async release() {
      await arrivedP;
      // in this order: unrouting first lets Playwright hand the held request on itself (then continue throws)
      await held!();
      await page.unroute(pattern, handler);
    },
  };
}

/**
 * Answers the next request of `method` (whose arguments pass `match`) with the API's error envelope, as a core that
 * failed to read (a locked or vanished store); the others pass. `answered` resolves once it has been answered.
 */
export async function failNext(page: Page, method: string, message: string, match?: (args: Record<string, unknown>) => boolean): Promise<{ answered: Promise<void> }> {
  let taken = false;
  let answered!: () => void;
  const answeredP = new Promise<void>((r) => (answered = r));
  const pattern = `**/api/${method}`;
  const handler = async (route: Route) => {
    const args = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
    if (taken || (match && !match(args))) return route.continue();
    taken = true;
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'internal', message } }) });
    await page.unroute(pattern, handler);
    answered();
  };
  await page.route(pattern, handler);
  return { answered: answeredP };
}
