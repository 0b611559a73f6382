import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The module whose experiments a reproduction runs: core/experiments/registry.js, or — only when a test sets
 * FERROLAB_TEST_EXPERIMENTS_REGISTRY to a file of the same shape — that file, so the CLI, storage, resume and
 * report are tested end to end with experiments whose numbers the test knows. Inert in production (one
 * environment lookup), like core/runtime/test-hooks.ts.
 */
export function registryModuleUrl(): string {
  const override = process.env.FERROLAB_TEST_EXPERIMENTS_REGISTRY;
  if (override) return pathToFileURL(isAbsolute(override) ? override : resolve(override)).href;
  return new URL('../../experiments/registry.js', import.meta.url).href;
}
