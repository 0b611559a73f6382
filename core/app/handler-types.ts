import type { MethodName, Output, ParsedInput } from '../api/contract.js';
import type { AppContext } from './context.js';

export type Handler<M extends MethodName> = (args: ParsedInput<M>, ctx: AppContext) => Promise<Output<M>> | Output<M>;
export type Handlers<K extends MethodName> = { [M in K]: Handler<M> };
