import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Offline app: everything is local, so one chunk per view is not worth the complexity.
    chunkSizeWarningLimit: 2000,
    target: 'chrome120',
  },
  server: { host: '127.0.0.1' },
});
