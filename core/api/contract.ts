import type { z } from 'zod';
import { systemMethods } from './methods/system.js';
import { billetMethods } from './methods/billets.js';
import { mapMethods } from './methods/maps.js';
import { imageMethods } from './methods/images.js';
import { segregationMethods, demoMethods } from './methods/segregation.js';
import { jominyMethods } from './methods/jominy.js';
import { jominyGradeMethods } from './methods/jominy-grades.js';
import { cnnMethods } from './methods/cnn.js';
import { fewerPointsMethods } from './methods/fewer-points.js';
import { experimentsMethods } from './methods/experiments.js';
import { uiMethods } from './methods/ui.js';

/**
 * The one door between UI and core. Each domain contributes a `*Methods` object; the Electron IPC
 * router, the browser-mode HTTP server and the CLI all dispatch through this table.
 */
export const contract = {
  ...jominyMethods,
  ...jominyGradeMethods,
  ...systemMethods,
  ...billetMethods,
  ...mapMethods,
  ...imageMethods,
  ...segregationMethods,
  ...demoMethods,
  ...cnnMethods,
  ...fewerPointsMethods,
  ...experimentsMethods,
  ...uiMethods,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type Input<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type Output<M extends MethodName> = z.output<Contract[M]['output']>;

/** What a client (renderer, CLI, tests) sees: one async function per method. */
export type ApiClient = { [M in MethodName]: (args: Input<M>) => Promise<Output<M>> };

export const methodNames = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
