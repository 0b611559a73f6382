// Attached patch images: a folder of 85 camera frames (default 1280×960 px, grey JPEG + PNG mix) → check and
// store (full decode of each, grey PNG, sha256), then the shared pipeline (centre square → 224 px, CLAHE,
// quality before/after) for all 85, against cutting the same 85 patches from an in-memory section.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  prepareAttachedPatches,
  storeAttachedPatches,
  loadAttachedPatches,
  patchSet,
  DEFAULT_CLAHE,
} from '../core/imaging/index.js';

const W = Number(process.env.BENCH_FRAME_W ?? 1280);
const H = Number(process.env.BENCH_FRAME_H ?? 960);
const N = 85;
const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
};
const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(1)} ms`);

function frame(seed: number): Uint8Array {
  let s = seed >>> 0;
  const out = new Uint8Array(W * H);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((i % W) >> 3) + (s >>> 26) * 3;
  }
  return out;
}

const rows: Array<[string, string]> = [];
const dir = mkdtempSync(join(tmpdir(), 'ferrolab-bench-attached-'));
try {
  const labels = Array.from({ length: N }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);
  const files: Array<{ file: string; name: string }> = [];
  const imagesDir = join(dir, 'images');
  for (let i = 0; i < N; i++) {
    const img = sharp(frame(i + 1), { raw: { width: W, height: H, channels: 1 } });
    const name = i % 2 ? `${labels[i]}.jpg` : `B1-${labels[i]}.png`;
    const file = join(dir, name);
    writeFileSync(file, await (i % 2 ? img.jpeg({ quality: 92 }) : img.png()).toBuffer());
    files.push({ file, name });
  }
  const [prep, tPrep] = await time(() => prepareAttachedPatches(files, labels, { imagesDir }));
  if (prep.errors.length) throw new Error(JSON.stringify(prep.errors));
  rows.push([`check ${N} frames ${W}×${H} px (full decode, grey PNG, sha256)`, `${ms(tPrep)} (${ms(tPrep / N)}/file)`]);
  const [, tStore] = await time(() => storeAttachedPatches(imagesDir, prep.prepared));
  rows.push([`move ${N} staged grey PNGs into place (content-addressed)`, ms(tStore)]);
  const refs = prep.prepared.map((p) => ({ label: p.label, contentHash: p.contentHash, originalName: p.name }));
  const [attached, tLoad] = await time(() => loadAttachedPatches(imagesDir, refs));
  rows.push([`open ${N} stored patches (existence check; decoded on demand)`, ms(tLoad)]);
  const points = labels.map((label) => ({ label, xPx: null, yPx: null }));
  const opts = { sourceSizePx: 224, outputSizePx: 224, clahe: DEFAULT_CLAHE };
  const [att, tAtt] = await time(() => patchSet(null, points, { ...opts, attached }));
  rows.push([`pipeline, ${att.patches.length} attached: decode, ${H} px square → 224 px, CLAHE, quality ×2`, `${ms(tAtt)} (${ms(tAtt / N)}/patch)`]);
  const section = { width: 4000, height: 4000, data: new Uint8Array(4000 * 4000).map((_, i) => Math.imul(i, 2654435761) >>> 24) };
  const cutPts = labels.map((label, i) => ({ label, xPx: 300 + (i % 10) * 340, yPx: 300 + Math.floor(i / 10) * 340 }));
  const [cut, tCut] = await time(() => patchSet(section, cutPts, opts));
  rows.push([`pipeline, ${cut.patches.length} cut from an in-memory section at 224 px (reference)`, `${ms(tCut)} (${ms(tCut / N)}/patch)`]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`\nAttached patch images (${N} frames ${W}×${H} px)\n`);
for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
