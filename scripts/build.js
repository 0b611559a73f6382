// `npm run build`: compile core + electron (tsc, esbuild for the preload) and the Svelte renderer (vite).
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { buildNode, buildRenderer } from './build-lib.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'dist'), { recursive: true });
buildNode(root);
buildRenderer(root);
