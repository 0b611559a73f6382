import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { interpolateRdBu } from 'd3-scale-chromatic';
import { colormapLut, divergingLut, fillGrid, sectionGrid, renderMapPng, defaultLevels, MASK } from '../../../core/maps/index.js';

const R = 300;
const grid = () => fillGrid(sectionGrid(R, 81), (x, y) => 0.4 + 0.05 * Math.exp(-((x * x + y * y) / (2 * 80 * 80))));

/** The LUT colour the bar row `row` (0 = top) must carry. */
function barColour(lut: Uint8Array, row: number, h: number): number[] {
  const i = Math.round((1 - row / (h - 1)) * 255) * 3;
  return [lut[i], lut[i + 1], lut[i + 2]];
}

async function raw(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const px = (x: number, y: number) => Array.from(data.subarray((Math.round(y) * info.width + Math.round(x)) * info.channels, (Math.round(y) * info.width + Math.round(x)) * info.channels + 3));
  return { info, px };
}

describe('map PNG rendering', () => {
  it('has the requested size, a colour bar with the exact colormap ends, and tick labels', async () => {
    const out = await renderMapPng(grid(), { quantity: 'carbon', widthPx: 800, colormap: 'viridis', range: [0.4, 0.45], c0WtPct: 0.42, c0Source: 'bulk', levels: [0.42, 0.44], title: 'B-1 measured' });
    const meta = await sharp(out.png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(800);
    expect(meta.height).toBe(out.height);
    expect(out.height).toBeGreaterThan(560);
    const { px } = await raw(out.png);
    const lut = colormapLut('viridis');
    const L = out.legendBox;
    // top of the bar = high end of the scale (LUT 255), bottom = low end (LUT 0), away from the level ticks
    expect(px(L.x + L.w / 2, L.y + 1)).toEqual(barColour(lut, 1, L.h));
    expect(px(L.x + L.w / 2, L.y + L.h - 2)).toEqual(barColour(lut, L.h - 2, L.h));
    expect(barColour(lut, 1, L.h)).toEqual([lut[762], lut[763], lut[764]]);
    expect(barColour(lut, L.h - 2, L.h)).toEqual([lut[3], lut[4], lut[5]]);
    // tick labels: dark text pixels just left of the bar
    let dark = 0;
    for (let y = L.y; y < L.y + L.h; y++) for (let x = L.x - 40; x < L.x - 8; x++) if (px(x, y)[0] < 80) dark++;
    expect(dark).toBeGreaterThan(50);
    // map centre: 0.45 wt.% = top of the scale
    const c = px(out.mapBox.x + out.mapBox.size / 2, out.mapBox.y + out.mapBox.size / 2 + 6);
    expect(Math.abs(c[0] - lut[765]) + Math.abs(c[1] - lut[766]) + Math.abs(c[2] - lut[767])).toBeLessThan(30);
    // outside the circle (map box corner) stays white
    expect(px(out.mapBox.x + 3, out.mapBox.y + 3)).toEqual([255, 255, 255]);
    expect(out.levels).toEqual([0.42, 0.44]);
  });

  it('uses the cividis table when asked, hatches masked cells, and overlays an etched image', async () => {
    const g = fillGrid(sectionGrid(R, 81), () => 0.4); // the low end of the scale everywhere
    const centre = 40 * 81 + 40;
    g.mask[centre] = MASK.porosity;
    g.values[centre] = NaN;
    const etched = await sharp({ create: { width: 400, height: 400, channels: 3, background: { r: 90, g: 90, b: 90 } } }).png().toBuffer();
    const out = await renderMapPng(g, { quantity: 'carbon', widthPx: 600, colormap: 'cividis', range: [0.4, 0.45], background: { image: etched, circle: { cx: 200, cy: 200, r: 190 } }, opacity: 0.5 });
    const { px } = await raw(out.png);
    const lut = colormapLut('cividis');
    expect(px(out.legendBox.x + 5, out.legendBox.y + 1)).toEqual(barColour(lut, 1, out.legendBox.h));
    // masked centre: grey hatch over the grey etch, not a colour of the scale
    const m = px(out.mapBox.x + out.mapBox.size / 2, out.mapBox.y + out.mapBox.size / 2);
    expect(Math.max(...m) - Math.min(...m)).toBeLessThan(3);
    // at 50 % opacity a valid pixel is exactly halfway between the LUT colour and the etch grey (90)
    const p = px(out.mapBox.x + out.mapBox.size * 0.8, out.mapBox.y + out.mapBox.size / 2);
    expect(p).toEqual([0, 1, 2].map((c) => Math.round(0.5 * lut[c] + 0.5 * 90)));
  });

  it('draws the signed difference layer on a diverging map centred on 0: Δ = 0 is the midpoint, ±a are mirror ends', async () => {
    const a = 0.02;
    // three vertical bands: −a on the left, 0 in the middle, +a on the right
    const g = fillGrid(sectionGrid(R, 81), (x) => (x < -R / 3 ? -a : x > R / 3 ? a : 0));
    // an asymmetric request is widened to ±max|limit| so 0 stays the midpoint
    const out = await renderMapPng(g, { quantity: 'difference', widthPx: 800, colormap: 'viridis', range: [-a / 2, a] });
    expect(out.range).toEqual([-a, a]);
    const { px } = await raw(out.png);
    const rgb = (t: number) => {
      const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(interpolateRdBu(t))!;
      return [Number(m[1]), Number(m[2]), Number(m[3])];
    };
    const B = out.mapBox;
    const mid = px(B.x + B.size / 2, B.y + B.size / 2);
    // 0 → t = 0.5 → LUT entry 128 of 0…255, the upper of the two middle entries of RdBu; it is the near-white
    // centre of RdBu (within 3 of the exact midpoint colour per channel), not viridis' green
    expect(mid).toEqual(rgb(1 - 128 / 255));
    for (let c = 0; c < 3; c++) expect(Math.abs(mid[c] - rgb(0.5)[c])).toBeLessThanOrEqual(3);
    expect(Math.min(...mid)).toBeGreaterThan(230); // near-white, far from either end
    // +a (predicted above measured) is RdBu's red end, −a its blue end: the two ends of the same map
    expect(px(B.x + B.size * 0.9, B.y + B.size / 2)).toEqual(rgb(0)); // [103, 0, 31]
    expect(px(B.x + B.size * 0.1, B.y + B.size / 2)).toEqual(rgb(1)); // [5, 48, 97]
    const lut = divergingLut();
    expect([lut[765], lut[766], lut[767]]).toEqual([103, 0, 31]);
    expect([lut[0], lut[1], lut[2]]).toEqual([5, 48, 97]);
    // mirror entries are equally far from white on the scale: the bar's top row is red, bottom row blue
    const L = out.legendBox;
    expect(px(L.x + L.w / 2, L.y + 1)).toEqual(barColour(lut, 1, L.h));
    expect(px(L.x + L.w / 2, L.y + L.h - 2)).toEqual(barColour(lut, L.h - 2, L.h));
    // the heading "predicted − measured, wt.%" is drawn above the bar
    let dark = 0;
    const fs = Math.round(800 * 0.016);
    for (let y = Math.round(L.y - fs * 3.1); y < L.y - fs * 1.2; y++) for (let x = L.x - 60; x < L.x + L.w + 60; x++) if (px(x, y)[0] < 80) dark++;
    expect(dark).toBeGreaterThan(40);
  });

  it('keeps all legend text inside the image (nothing cut at the right or bottom edge)', async () => {
    for (const widthPx of [300, 1000]) {
      for (const [quantity, c0Source] of [['carbon', 'section-mean'], ['carbon', 'bulk'], ['difference', 'section-mean']] as const) {
        const g = quantity === 'carbon' ? grid() : fillGrid(sectionGrid(R, 81), (x) => x / 10000);
        const out = await renderMapPng(g, { quantity, widthPx, range: quantity === 'carbon' ? [0.4, 0.45] : undefined, c0WtPct: 0.4123, c0Source, levels: quantity === 'carbon' ? [0.42] : [], title: 'B-1' });
        const { info, px } = await raw(out.png);
        let edge = 0;
        for (let y = 0; y < info.height; y++) for (let x = info.width - 3; x < info.width; x++) if (px(x, y)[0] < 128) edge++;
        for (let x = 0; x < info.width; x++) for (let y = info.height - 2; y < info.height; y++) if (px(x, y)[0] < 128) edge++;
        expect({ widthPx, quantity, c0Source, edge }).toEqual({ widthPx, quantity, c0Source, edge: 0 });
      }
    }
  });

  it('default contour levels fall on round C/C0 values', () => {
    expect(defaultLevels([0.4, 0.47], 0.42).map((v) => Number((v / 0.42).toFixed(6)))).toEqual([0.96, 0.98, 1, 1.02, 1.04, 1.06, 1.08, 1.1]);
  });

  it('rejects an absurd size or an empty colour range', async () => {
    await expect(renderMapPng(grid(), { quantity: 'carbon', widthPx: 100 })).rejects.toThrow(/300…8000/);
    await expect(renderMapPng(grid(), { quantity: 'carbon', range: [0.5, 0.4] })).rejects.toThrow(/increasing/);
  });
});
