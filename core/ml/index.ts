export { selectBackend, ensureBackend, defaultLoaders, type BackendLoaders } from './backend.js';
