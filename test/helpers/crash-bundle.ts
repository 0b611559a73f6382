import { readFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles the crash-safety child (test/unit/foundation/crash-writer.ts → the real core/cli/main.ts) and every
 * worker thread of core/ into plain ESM under `outDir`, mirroring the source tree. The code is the same as the
 * sources; bundling only saves each of the test's ~60 child starts tsx's per-file transpiling (≈ 1 s of CPU
 * each on a busy 2-core machine). Each file's `import.meta.url` becomes the URL of its mirrored place in
 * `outDir`, so `new URL('./train.worker.js', import.meta.url)` finds the bundled worker next to it, and
 * findPackageRoot walks up from there to this repository (outDir must be inside it). npm packages stay
 * external and load from node_modules as in the app.
 */
export async function bundleCrashChild(root: string, outDir: string): Promise<string> {
  await bundleWithWorkers(root, [join(root, 'test/unit/foundation/crash-writer.ts')], outDir);
  return join(outDir, 'test/unit/foundation/crash-writer.js');
}

/**
 * Bundles `entries` and every worker of core/ into `outDir` as above. `urlDir` is where the files will be run
 * from, when that is not `outDir` (test/helpers/cli-bundle.ts builds in a work folder that is then renamed).
 */
export async function bundleWithWorkers(root: string, entries: string[], outDir: string, urlDir = outDir): Promise<void> {
  const workers: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.worker.ts')) workers.push(p);
    }
  };
  walk(join(root, 'core'));
  await build({
    entryPoints: [...entries, ...workers],
    outdir: outDir,
    outbase: root,
    outExtension: { '.js': '.js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    plugins: [
      {
        name: 'mirrored-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (a) => {
            const mirrored = pathToFileURL(join(urlDir, relative(root, a.path)).replace(/\.ts$/, '.js')).href;
            return { contents: (await readFile(a.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(mirrored)), loader: 'ts' };
          });
        },
      },
    ],
  });
}
