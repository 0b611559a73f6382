import { contract, isMethodName, type MethodName, type Output } from '../api/contract.js';
import { ApiError, fromZodError, toErrorBody } from '../api/errors.js';
import type { Envelope } from '../api/envelope.js';
import type { AppContext } from './context.js';
import { handlers } from './handlers/index.js';
import type { Handler } from './handler-types.js';
import { withConsumedUploads } from './upload-consumers.js';
import { log } from '../runtime/log.js';
import { phrase } from '../api/phrase.js';

/**
 * The single entry every transport uses: name check, input validation, handler, output validation.
 * Output is validated too, so a handler bug surfaces here rather than as a confusing UI state.
 */
export async function dispatch(ctx: AppContext, name: string, rawArgs: unknown): Promise<unknown> {
  if (!isMethodName(name)) throw ApiError.said('not_found', phrase('errors.app.unknownMethod', { name }));
  const spec = contract[name];
  const parsed = spec.input.safeParse(rawArgs ?? {});
  if (!parsed.success) throw fromZodError(parsed.error, name);
  const handler = handlers[name] as Handler<MethodName>;
  const out = await withConsumedUploads(ctx, name, parsed.data, async () => handler(parsed.data as never, ctx));
  const checked = spec.output.safeParse(out);
  if (!checked.success) {
    const e = fromZodError(checked.error, `${name} (result)`);
    throw new ApiError('internal', `internal error: ${e.message}`);
  }
  return checked.data;
}

export async function dispatchEnvelope(ctx: AppContext, name: string, rawArgs: unknown): Promise<Envelope<unknown>> {
  try {
    return { ok: true, value: await dispatch(ctx, name, rawArgs) };
  } catch (err) {
    const body = toErrorBody(err);
    if (body.code === 'internal') log.error('api', 'internal error', { method: name, err }); // user errors are answered, not logged
    return { ok: false, error: body };
  }
}

/** A typed in-process client: what the CLI and tests use. */
export function localClient(ctx: AppContext) {
  return new Proxy({} as Record<string, (args: unknown) => Promise<unknown>>, {
    get: (_t, name: string) => (args: unknown) => dispatch(ctx, name, args),
  }) as unknown as { [M in MethodName]: (args: Parameters<import('../api/contract.js').ApiClient[M]>[0]) => Promise<Output<M>> };
}
