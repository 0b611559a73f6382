import type { ApiEvent, Envelope, FerrolabBridge, Input, MethodName, Output, ApiErrorBody } from '../../../core/api/index';

/** Error thrown by `call` with the core's code and offending field. */
export class ApiCallError extends Error {
  readonly code: string;
  readonly field?: string;
  readonly details?: unknown;
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.code = body.code;
    this.field = body.field;
    this.details = body.details;
  }
}

declare global {
  interface Window {
    ferrolab?: FerrolabBridge;
  }
}

const TOKEN_KEY = 'ferrolab-token';

/** Browser mode: the token arrives in the URL fragment (never sent to the server in logs), kept per tab. */
function browserToken(): string {
  const m = /token=([a-f0-9]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return m[1];
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpBridge(): FerrolabBridge & { token: string } {
  const token = browserToken();
  const post = async (path: string, body: BodyInit, type: string) => {
    const res = await fetch(path, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body });
    if (res.status === 403) return { ok: false as const, error: { code: 'forbidden' as const, message: 'This page has no valid session token: open the URL printed by `ferrolab serve`.' } };
    return (await res.json()) as Envelope<unknown>;
  };
  const methods = new Proxy({}, {
    get: (_t, name: string) => (args: unknown) => post(`/api/${name}`, JSON.stringify(args ?? {}), 'application/json'),
  }) as FerrolabBridge['methods'];
  return {
    token,
    methods,
    upload: (bytes, name) => post(`/api/upload?name=${encodeURIComponent(name)}`, bytes, 'application/octet-stream') as Promise<Envelope<{ uploadId: string }>>,
    onEvent(listener) {
      const es = new EventSource(`/api/events?token=${token}`);
      es.onmessage = (m) => listener(JSON.parse(m.data) as ApiEvent);
      return () => es.close();
    },
  };
}

const bridge: FerrolabBridge & { token?: string } = window.ferrolab ?? httpBridge();
export const shell: 'electron' | 'browser' = window.ferrolab ? 'electron' : 'browser';

export async function call<M extends MethodName>(method: M, args: Input<M>): Promise<Output<M>> {
  const env = (await bridge.methods[method](args)) as Envelope<Output<M>>;
  if (!env.ok) throw new ApiCallError(env.error);
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

/** URL of a file in the data folder (tiles, thumbnails, reports), valid in both shells. */
export function fileUrl(relPath: string): string {
  const path = `/files/${relPath.split('/').map(encodeURIComponent).join('/')}`;
  return bridge.token ? `${path}?token=${bridge.token}` : path;
}
