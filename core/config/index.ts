export { resolveDataDir, defaultUserDataDir, dataLayout, type DataLayout } from './data-dir.js';
export { appVersion, packageRoot, findPackageRoot } from './version.js';
