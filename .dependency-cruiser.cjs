// The layer rules of Ferrolab, checked by dependency-cruiser in `npm test` (`npm run check:deps`).
// Each rule's `comment` is the sentence ARCHITECTURE.md shows: scripts/architecture-rules.js renders the
// "Layers and rules" section from this list, and test/unit/foundation/architecture-rules.test.ts fails when
// the document and this file disagree. Change a rule here, then run `node scripts/architecture-rules.js --write`.

/** Domain folders: pure logic that takes plain data. */
const DOMAIN = '^core/(imaging|maps|jominy|ml|synth|segregation|report)/';

/** What the renderer may run from core/: pure modules without node imports. */
const PURE_FOR_RENDERER = '^core/(api/strict-decimal|api/jominy-chemistry|jominy/elements)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No circular imports anywhere (type-only imports included: a circle of types is still a circle of meaning).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'renderer-only-core-api',
      severity: 'error',
      comment: 'renderer/ imports from core/ only core/api/ (the contract).',
      from: { path: '^renderer/' },
      to: { path: '^core/', pathNot: '^core/api/' },
    },
    {
      name: 'renderer-api-types-or-pure',
      severity: 'error',
      comment:
        'renderer/ takes types only from core/api/, except the pure modules core/api/strict-decimal.ts and core/api/jominy-chemistry.ts, which it may run.',
      from: { path: '^renderer/' },
      to: {
        path: '^core/api/',
        pathNot: '^core/api/(strict-decimal|jominy-chemistry)\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'renderer-pure-modules-stay-pure',
      severity: 'error',
      comment:
        'The core/api/ modules the renderer runs (strict-decimal, jominy-chemistry) import nothing but each other and core/jominy/elements.ts (a table of constants): no node built-ins, no packages.',
      from: { path: PURE_FOR_RENDERER },
      to: { pathNot: PURE_FOR_RENDERER },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      comment: 'renderer/ imports no node built-ins (it runs in a sandboxed page).',
      from: { path: '^renderer/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-takes-plain-data',
      severity: 'error',
      comment:
        'Domain folders (core/imaging, maps, jominy, ml, synth, segregation, report) do not import core/app, core/store, core/services, core/server, core/cli, core/jobs or core/api/errors.ts (ApiError): they take plain data and throw their own errors.',
      from: { path: DOMAIN },
      to: { path: '^core/(app|store|services|server|cli|jobs)/|^core/api/errors\\.ts$' },
    },
    {
      name: 'services-apart',
      severity: 'error',
      comment:
        'A service in core/services/X/ does not import another service core/services/Y/; services meet only in core/services/compose.ts (the composition root) and share core/services/types.ts.',
      from: { path: '^core/services/([^/]+)/' },
      to: { path: '^core/services/', pathNot: '^core/services/($1/|types\\.ts$)' },
    },
    {
      name: 'store-below-app',
      severity: 'error',
      comment: 'core/store/ (SQL and migrations) does not import core/app/ or core/services/.',
      from: { path: '^core/store/' },
      to: { path: '^core/(app|services)/' },
    },
    {
      name: 'core-no-shell',
      severity: 'error',
      comment: 'Nothing in core/ imports electron/, renderer/ or the electron package.',
      from: { path: '^core/' },
      to: { path: '^(electron|renderer)/|^node_modules/electron/' },
    },
    {
      name: 'shell-through-front-door',
      severity: 'error',
      comment:
        'electron/ reaches core/ only through core/api, core/app (not its handlers), core/config, core/runtime and core/server (CSP, folder lock): the same front door as browser mode.',
      from: { path: '^electron/' },
      to: {
        path: '^core/',
        pathNot: '^core/(api|config|runtime|server)/|^core/app/[^/]+\\.ts$',
      },
    },
    {
      name: 'one-worker-module',
      severity: 'error',
      comment:
        'Threads start only in core/runtime/worker.ts and worker-pool.ts (one app-wide cap, one cancellation); other modules import node:worker_threads only inside a *.worker.ts file.',
      from: { path: '^(core|electron)/', pathNot: '^core/runtime/worker(-pool)?\\.ts$|\\.worker\\.ts$' },
      to: { path: '^(node:)?worker_threads$' },
    },
    {
      name: 'no-dev-deps-shipped',
      severity: 'error',
      comment:
        'core/ and electron/ do not import devDependencies (chart.js, vitest, …) except the electron package in electron/; type-only imports are allowed.',
      from: { path: '^(core|electron)/' },
      to: {
        dependencyTypes: ['npm-dev'],
        dependencyTypesNot: ['type-only'],
        pathNot: '^node_modules/electron/',
      },
    },
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
