import type { ServiceContext } from '../context.js';
import { startDemoBillet, type DemoOptions } from './demo-billet.js';

/** The demo: a synthetic billet with section, points and readings, generated in a worker as a job. */
export function createDemoService(ctx: ServiceContext) {
  return { start: (opts: DemoOptions) => startDemoBillet(ctx, opts) };
}
export type DemoService = ReturnType<typeof createDemoService>;
export { DEMO_SEED, demoReadingsSeed } from './demo-billet.js';
