import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { colormapLut, fillGrid, sectionGrid, renderMapPng, defaultLevels, MASK } from '../../../core/maps/index.js';

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

  it('default contour levels fall on round C/C0 values', () => {
    expect(defaultLevels([0.4, 0.47], 0.42).map((v) => Number((v / 0.42).toFixed(6)))).toEqual([0.96, 0.98, 1, 1.02, 1.04, 1.06, 1.08, 1.1]);
  });

  it('rejects an absurd size or an empty colour range', async () => {
    await expect(renderMapPng(grid(), { quantity: 'carbon', widthPx: 100 })).rejects.toThrow(/300…8000/);
    await expect(renderMapPng(grid(), { quantity: 'carbon', range: [0.5, 0.4] })).rejects.toThrow(/increasing/);
  });
});
