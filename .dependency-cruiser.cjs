// The layer rules of Ferrolab, checked by dependency-cruiser in `npm test` (`npm run check:deps`).
// Each rule's `comment` is the sentence ARCHITECTURE.md shows: scripts/architecture-rules.js renders the
// "Layers and rules" section from this list, and test/unit/foundation/architecture-rules.test.ts fails when
// the document and this file disagree. Change a rule here, then run `node scripts/architecture-rules.js --write`.

/** Domain folders: pure logic that takes plain data. */
const DOMAIN = '^core/(imaging|maps|jominy|ml|synth|segregation|report|experiments)/';

/** What the renderer may run from core/: pure modules without node imports. */
const PURE_FOR_RENDERER = '^core/(api/strict-decimal|api/jominy-chemistry|api/train-workers|api/gpu-adapter-name|api/jominy-meet-range|api/jominy-interval-width|api/jominy-point-marks|api/italian-articles|jominy/elements)\\.ts$';

/** Every rule is an error: `npm test` fails on any of them. `comment` is the sentence ARCHITECTURE.md shows. */
const rule = (name, comment, from, to) => ({ name, severity: 'error', comment, from, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    rule(
      'no-circular',
      'No circular imports anywhere (type-only imports included: a circle of types is still a circle of meaning).',
      {},
      { circular: true },
    ),
    rule('renderer-only-core-api', 'renderer/ imports from core/ only core/api/ (the contract).', { path: '^renderer/' }, { path: '^core/', pathNot: '^core/api/' }),
    rule(
      'renderer-api-types-or-pure',
      'renderer/ takes types only from core/api/, except the pure modules core/api/strict-decimal.ts, core/api/jominy-chemistry.ts, core/api/train-workers.ts, core/api/gpu-adapter-name.ts, core/api/jominy-meet-range.ts, core/api/jominy-interval-width.ts, core/api/jominy-point-marks.ts and core/api/italian-articles.ts, which it may run.',
      { path: '^renderer/' },
      { path: '^core/api/', pathNot: '^core/api/(strict-decimal|jominy-chemistry|train-workers|gpu-adapter-name|jominy-meet-range|jominy-interval-width|jominy-point-marks|italian-articles)\\.ts$', dependencyTypesNot: ['type-only'] },
    ),
    rule(
      'renderer-pure-modules-stay-pure',
      'The core/api/ modules the renderer runs (strict-decimal, jominy-chemistry, train-workers, gpu-adapter-name, jominy-meet-range, jominy-interval-width, jominy-point-marks, italian-articles) import nothing but each other and core/jominy/elements.ts (a table of constants): no node built-ins, no packages.',
      { path: PURE_FOR_RENDERER },
      { pathNot: PURE_FOR_RENDERER },
    ),
    rule('renderer-no-node', 'renderer/ imports no node built-ins (it runs in a sandboxed page).', { path: '^renderer/src/' }, { dependencyTypes: ['core'] }),
    rule(
      'domain-takes-plain-data',
      'Domain folders (core/imaging, maps, jominy, ml, synth, segregation, report, experiments) do not import core/app, core/store, core/services, core/server, core/cli, core/jobs or core/api/errors.ts (ApiError): they take plain data and throw their own errors (core/runtime/refused.ts, cancelled.ts).',
      { path: DOMAIN },
      { path: '^core/(app|store|services|server|cli|jobs)/|^core/api/errors\\.ts$' },
    ),
    rule(
      'services-apart',
      'A service in core/services/X/ does not import another service core/services/Y/; services meet only in core/services/compose.ts (the composition root) and share core/services/types.ts, context.ts (what a service may touch) and shared/ (helpers that are no service).',
      { path: '^core/services/([^/]+)/', pathNot: '^core/services/shared/' },
      { path: '^core/services/', pathNot: '^core/services/($1/|types\\.ts$|context\\.ts$|shared/)' },
    ),
    rule('store-below-app', 'core/store/ (SQL and migrations) does not import core/app/ or core/services/.', { path: '^core/store/' }, { path: '^core/(app|services)/' }),
    rule('core-no-shell', 'Nothing in core/ imports electron/, renderer/ or the electron package.', { path: '^core/' }, { path: '^(electron|renderer)/|^node_modules/electron/' }),
    rule(
      'shell-through-front-door',
      'electron/ reaches core/ only through core/api, core/app (not its handlers), core/config, core/runtime and core/server (CSP, folder lock): the same front door as browser mode.',
      { path: '^electron/' },
      { path: '^core/', pathNot: '^core/(api|config|runtime|server)/|^core/app/[^/]+\\.ts$' },
    ),
    rule(
      'one-worker-module',
      'Threads start only in core/runtime/worker.ts and worker-pool.ts (one app-wide cap, one cancellation); other modules import node:worker_threads only inside a *.worker.ts file.',
      { path: '^(core|electron)/', pathNot: '^core/runtime/worker(-pool)?\\.ts$|\\.worker\\.ts$' },
      { path: '^(node:)?worker_threads$' },
    ),
    rule(
      'no-dev-deps-shipped',
      'core/ and electron/ do not import devDependencies (chart.js, vitest, …) except the electron package in electron/; type-only imports are allowed.',
      { path: '^(core|electron)/' },
      { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: '^node_modules/electron/' },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|build|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.svelte', '.d.ts', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    // node_modules is a link in some checkouts: keep paths as written so the package rules match.
    preserveSymlinks: true,
  },
};
