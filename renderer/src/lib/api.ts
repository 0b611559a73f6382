import type { ApiEvent, Envelope, FerrolabBridge, Input, MethodName, Output, ApiErrorBody } from '../../../core/api/index';
import type { Phrase } from '../../../core/api/phrase';

/** Error thrown by `call` with the core's code, offending field and, where the core wrote one, the message's code. */
export class ApiCallError extends Error {
  readonly code: string;
  readonly field?: string;
  readonly details?: unknown;
  readonly phrase?: Phrase;
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.code = body.code;
    this.field = body.field;
    this.details = body.details;
    this.phrase = body.phrase;
  }
}

declare global {
  interface Window {
    ferrolab?: FerrolabBridge;
  }
}

const TOKEN_KEY = 'ferrolab-token';

const NO_SESSION = 'This page has no valid session: open the link printed by `ferrolab serve` (press Enter there for a new one).';

/** The launch code this tab is exchanging and its own key for that exchange, until the answer is stored. */
const PENDING_KEY = 'ferrolab-launch';

/**
 * Browser mode: the page is opened with a one-time launch code in the URL fragment (the fragment is never
 * sent in a request line); it is exchanged once, by POST, for the API token, which then lives only in
 * this tab's sessionStorage and the Authorization header. The exchange also sets the HttpOnly cookie that
 * lets <img> and EventSource read files and events. A reload reuses the stored token.
 *
 * A reload while the exchange's answer is on its way (task 26-D): the code is kept in sessionStorage with a random
 * key of this tab's, written in the same task that takes the code out of the URL (no reload can come between the
 * two), and sent with it; a reloaded page finds them there and exchanges again, which the server answers with the
 * same token only for that key and only for a few seconds (core/server/launch-codes.ts says why that is safe).
 * They are removed once the answer is stored (or refused), in one task with the token's write; a fetch that got no
 * answer (a network error, or a reload cancelling it) leaves them for the next load.
 */
async function browserToken(): Promise<string> {
  const m = /(?:^#|&)code=([a-f0-9]+)/.exec(location.hash);
  if (m) {
    const page = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ code: m[1], page }));
    history.replaceState(null, '', location.pathname + location.search);
  }
  const pending = pendingExchange();
  if (pending) {
    let env: Envelope<{ token: string }> | null = null;
    try {
      const res = await fetch('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(pending) });
      env = (await res.json().catch(() => null)) as Envelope<{ token: string }> | null;
    } catch {
      // no answer: the server is gone, or a reload cancelled this fetch (said below)
    }
    // Only an answer (token or refusal) ends the exchange. Firefox and WebKit cancel the fetch when a reload starts and
    // still run this page's code after it: removing the entry then would take it from the reloaded page that is about
    // to trade it. Kept, a code the server no longer honours (past the grace) is refused, and removed, at next load.
    if (env && typeof env === 'object' && 'ok' in env) sessionStorage.removeItem(PENDING_KEY);
    if (env?.ok) {
      sessionStorage.setItem(TOKEN_KEY, env.value.token);
      return env.value.token;
    }
    sessionError = env && !env.ok ? env.error.message : NO_SESSION;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function pendingExchange(): { code: string; page: string } | null {
  try {
    const p = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { code?: unknown; page?: unknown } | null;
    return p && typeof p.code === 'string' && typeof p.page === 'string' ? { code: p.code, page: p.page } : null;
  } catch {
    return null;
  }
}

let sessionError = NO_SESSION;

function httpBridge(): FerrolabBridge {
  const token = browserToken();
  const post = async (path: string, body: BodyInit, type: string) => {
    const res = await fetch(path, { method: 'POST', headers: { Authorization: `Bearer ${await token}`, 'Content-Type': type }, body });
    if (res.status === 403) return { ok: false as const, error: { code: 'forbidden' as const, message: sessionError } };
    return (await res.json()) as Envelope<unknown>;
  };
  const methods = new Proxy({}, {
    get: (_t, name: string) => (args: unknown) => post(`/api/${name}`, JSON.stringify(args ?? {}), 'application/json'),
  }) as FerrolabBridge['methods'];
  return {
    methods,
    upload: (bytes, name) => post(`/api/upload?name=${encodeURIComponent(name)}`, bytes, 'application/octet-stream') as Promise<Envelope<{ uploadId: string }>>,
    onEvent(listener) {
      // After the exchange: the event stream is authorised by the session cookie it set.
      let es: EventSource | null = null;
      let closed = false;
      void token.then(() => {
        if (closed) return;
        es = new EventSource('/api/events');
        es.onmessage = (m) => listener(JSON.parse(m.data) as ApiEvent);
      });
      return () => {
        closed = true;
        es?.close();
      };
    },
  };
}

const bridge: FerrolabBridge = window.ferrolab ?? httpBridge();
export const shell: 'electron' | 'browser' = window.ferrolab ? 'electron' : 'browser';
/** The desktop app's native menu (null in browser mode, which shows its own menu button). */
export const nativeMenu = window.ferrolab?.menu ?? null;

let succeeded: ((method: MethodName) => void) | null = null;

/** Told of every successful call (state.svelte.ts: a later success takes down its view's old error banner). */
export function onCallSucceeded(listener: ((method: MethodName) => void) | null): void {
  succeeded = listener;
}

export async function call<M extends MethodName>(method: M, args: Input<M>): Promise<Output<M>> {
  const env = (await bridge.methods[method](args)) as Envelope<Output<M>>;
  if (!env.ok) throw new ApiCallError(env.error);
  succeeded?.(method);
  return env.value;
}

export async function uploadFile(file: File): Promise<{ uploadId: string; name: string }> {
  const env = await bridge.upload(await file.arrayBuffer(), file.name);
  if (!env.ok) throw new ApiCallError(env.error);
  return { uploadId: env.value.uploadId, name: file.name };
}

export function onEvent(listener: (ev: ApiEvent) => void): () => void {
  return bridge.onEvent(listener);
}

/**
 * URL of a file in the data folder (tiles, thumbnails, reports), valid in both shells. It carries no
 * secret: in browser mode the session cookie authorises it.
 */
export function fileUrl(relPath: string): string {
  return `/files/${relPath.split('/').map(encodeURIComponent).join('/')}`;
}
