// Imaging: synthetic 10 000 × 10 000 px section → import (header, hash, preview decode, rim, DZI pyramid,
// thumbnail), one full decode to grey, 85 patches from memory, CLAHE and quality per patch, dihedral augmentation.
// Then "16-bit maximum": peak RSS of the ways of reading a 16-bit image's brightest sample (BENCH_MAX_PX², default
// 8000²), each in its own process (bench/_imaging-max-child.ts); `BENCH_ONLY=max` runs that section alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticBillet, syntheticSectionPng } from '../core/synth/index.js';
import { layoutPoints } from '../core/segregation/layouts.js';
import {
  importSection,
  storedSectionProbe,
  decodeGrey,
  extractPatches,
  pointsMmToPx,
  calibrate,
  applyClahe,
  assessQuality,
  applyDihedral,
  DEFAULT_CLAHE,
  DIHEDRAL,
} from '../core/imaging/index.js';
import { english } from '../core/runtime/english.js';

const SIZE = Number(process.env.BENCH_SECTION_PX ?? 10_000);
const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
};
const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(1)} ms`);
const countFiles = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(join(dir, e.name)) : 1), 0);

const rows: Array<[string, string]> = [];
const dir = mkdtempSync(join(tmpdir(), 'ferrolab-bench-imaging-'));
try {
  if (process.env.BENCH_ONLY !== 'max') await sectionBench();
  await maxBench();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function sectionBench() {
  const [billet, tGen] = await time(() => generateSyntheticBillet({ seed: 1, sizePx: SIZE }));
  rows.push([`generate synthetic section ${SIZE}×${SIZE} px (setup)`, ms(tGen)]);
  const [png, tPng] = await time(() => syntheticSectionPng(billet));
  const file = join(dir, 'section.png');
  writeFileSync(file, png);
  rows.push([`encode PNG (setup), ${(png.length / 1e6).toFixed(1)} MB`, ms(tPng)]);

  const imagesDir = join(dir, 'images');
  const phases: Array<[string, number]> = [];
  let last = performance.now();
  let lastMsg = 'start';
  const [imported, tImport] = await time(() =>
    importSection({
      imagesDir,
      file,
      originalName: 'section.png',
      nominalDiameterMm: 600,
      onProgress: (_f, m) => {
        const now = performance.now();
        phases.push([lastMsg, now - last]);
        last = now;
        lastMsg = english(m);
      },
    }),
  );
  rows.push([`import ${SIZE}×${SIZE} px total (header, sha256, preview decode, rim, pyramid, thumbnail)`, ms(tImport)]);
  for (const [m, t] of phases) if (t > 50) rows.push([`  of which: ${m}`, ms(t)]);
  const tilesDir = join(imagesDir, imported.contentHash, 'tiles_files');
  rows.push([`  DZI: ${imported.dzi.maxLevel + 1} levels, ${countFiles(tilesDir)} tiles`, '']);
  const c = imported.circle!;
  rows.push([`  rim error vs truth: centre ${Math.hypot(c.cx - billet.circle.cx, c.cy - billet.circle.cy).toFixed(1)} px, radius ${(c.r - billet.circle.r).toFixed(1)} px (r = ${billet.circle.r.toFixed(0)} px)`, '']);

  const { file: src, probed } = storedSectionProbe(imagesDir, imported.contentHash);
  const [section, tDecode] = await time(() => decodeGrey(src, probed));
  rows.push([`decode section once to 8-bit grey (${(section.data.length / 1e6).toFixed(0)} MB)`, ms(tDecode)]);
  const cal = calibrate(c, 600);
  const pts = pointsMmToPx(cal, layoutPoints({ diameterMm: 600 }));
  const [patches, tCut] = await time(() => extractPatches(section, pts, { sourceSizePx: 224, outputSizePx: 224 }));
  rows.push([`cut ${patches.length} patches 224 px from memory`, `${ms(tCut)} (${ms(tCut / patches.length)}/patch)`]);
  const [resampled, tRes] = await time(() => extractPatches(section, pts, { sourceSizePx: Math.round(45 / cal.mmPerPx), outputSizePx: 224 }));
  rows.push([`cut ${resampled.length} patches 45 mm (${resampled[0].sourceSizePx} px) → 224 px (Lanczos)`, `${ms(tRes)} (${ms(tRes / resampled.length)}/patch)`]);
  const clahe: Uint8Array[] = [];
  const [, tClahe] = await time(async () => {
    for (const p of patches) clahe.push(await applyClahe(p.data, p.size, p.size, DEFAULT_CLAHE));
  });
  rows.push([`CLAHE ${DEFAULT_CLAHE.width}×${DEFAULT_CLAHE.height}, slope ${DEFAULT_CLAHE.maxSlope}, per 224 px patch`, ms(tClahe / patches.length)]);
  const [, tQ] = await time(() => {
    for (let i = 0; i < patches.length; i++) {
      assessQuality(patches[i].data, 224, 224);
      assessQuality(clahe[i], 224, 224);
    }
  });
  rows.push(['quality (RMS, GLCM 32 levels × 4 offsets, entropy) per patch, before + after', ms(tQ / patches.length)]);
  const [, tAug] = await time(() => {
    for (const p of patches) for (const k of DIHEDRAL) applyDihedral(p.data, p.size, k);
  });
  rows.push(['8 dihedral transforms per 224 px patch', ms(tAug / patches.length)]);
  rows.push([`stored section folder size`, `${(readdirSync(join(imagesDir, imported.contentHash)).map((f) => join(imagesDir, imported.contentHash, f)).filter((f) => statSync(f).isFile()).reduce((s, f) => s + statSync(f).size, 0) / 1e6).toFixed(1)} MB + tiles`]);
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`| ${'step'.padEnd(w)} | time |`);
  console.log(`|${'-'.repeat(w + 2)}|------|`);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(w)} | ${v} |`);
}

/**
 * The significant-bits checks read a 16-bit image's exact maximum (core/imaging/decode.ts colourStats). sharp's
 * stats() holds the decoded image; the streamed read (core/imaging/colour-max.ts) writes it to a VIPS file line by
 * line and scans that. Peak RSS of each, in a fresh process, beside a process that only reads the header.
 */
async function maxBench() {
  const n = Number(process.env.BENCH_MAX_PX ?? 8000);
  const v = new Uint16Array(n * n);
  let s = 12345;
  for (let i = 0; i < v.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    v[i] = (s >>> 20) & 4095; // 12-bit camera values stored unscaled
  }
  v[n * (n - 7) + 3] = 40000; // one bright sample near the end
  const file = join(dir, 'grey16.png');
  await sharp(v, { raw: { width: n, height: n, channels: 1 } }).toColourspace('grey16').png({ compressionLevel: 1 }).toFile(file);
  const child = fileURLToPath(new URL('./_imaging-max-child.ts', import.meta.url));
  const run = (method: string) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', child, method, file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${method}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { max: number; rssBeforeMB: number; peakRssMB: number; wallMs: number; cpuS: number };
  };
  const base = run('baseline');
  console.log(`\n16-bit maximum of a ${n}×${n} grey PNG (${((n * n * 2) / 1e6).toFixed(0)} MB decoded; true max 40000). Peak RSS of the process (tsx and sharp loaded: the header-only one peaks at ${base.peakRssMB.toFixed(0)} MB), and its peak over the RSS just before the read`);
  console.log('| method | max | peak RSS | peak − RSS before | wall | CPU |');
  console.log('|--------|-----|----------|-------------------|------|-----|');
  for (const [method, label] of [
    ['baseline', 'header only (no read)'],
    ['stats', 'sharp stats() (before)'],
    ['stats-sequential', 'sharp stats(), sequentialRead'],
    ['strips', 'extract 1024-row strips → raw, max in JS'],
    ['streamed', 'streamed: VIPS file line by line, scanned (kept)'],
  ] as const) {
    const r = run(method);
    console.log(`| ${label} | ${method === 'baseline' ? '–' : r.max}${r.max === 40000 || method === 'baseline' ? '' : ' WRONG'} | ${r.peakRssMB.toFixed(0)} MB | ${(r.peakRssMB - r.rssBeforeMB).toFixed(0)} MB | ${ms(r.wallMs)} | ${r.cpuS.toFixed(2)} s |`);
  }
}
