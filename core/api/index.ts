export * from './contract.js';
export * from './errors.js';
export * from './events.js';
export * from './envelope.js';
export * from './bridge.js';
export * from './common.js';
export { method, type MethodSpec } from './define.js';
export * from './methods/system.js';
export * from './methods/billets.js';
