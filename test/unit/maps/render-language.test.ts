import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fillGrid, sectionGrid, renderMapPng, mapWords, type MapLanguage, type RenderOptions } from '../../../core/maps/index.js';
import { phrase } from '../../../core/api/phrase.js';
import { inkAndDifference } from '../../helpers/grey-ink.js';

/**
 * The map picture in the user's language (issue 15): its legend worded from the phrase catalogs with the language's
 * decimal mark, Chinese drawn with Chinese glyphs, every label sized from the fonts' own widths so nothing is cut in
 * any language, and the same picture byte for byte every time.
 */
const R = 300;
const grid = () => fillGrid(sectionGrid(R, 41), (x, y) => 0.4 + 0.05 * Math.exp(-((x * x + y * y) / (2 * 80 * 80))));
const LANGS: MapLanguage[] = ['en', 'zh', 'it'];

function opts(language: MapLanguage, over: Partial<RenderOptions> = {}): RenderOptions {
  const w = mapWords(language);
  return {
    quantity: 'carbon',
    widthPx: 300,
    range: [0.4, 0.45],
    c0WtPct: 0.4123,
    c0Source: 'section-mean',
    levels: [0.42],
    title: w.say(phrase('mapPng.title', { name: 'B-1', layer: w.say(phrase('mapPng.layer.measured')) })),
    markers: [{ label: 'P01', xMm: 0, yMm: 0, text: w.num(0.4382, 3), value: 0.4382 }],
    language,
    ...over,
  };
}

async function grey(png: Buffer) {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width };
}

describe('map picture language', () => {
  it('a Chinese picture has ink in its title area that differs from the English one; the same picture is the same bytes twice', async () => {
    const zh = await renderMapPng(grid(), opts('zh', { widthPx: 600 }));
    const zh2 = await renderMapPng(grid(), opts('zh', { widthPx: 600 }));
    const en = await renderMapPng(grid(), opts('en', { widthPx: 600 }));
    expect(zh.png.equals(zh2.png)).toBe(true);
    expect(zh.texts.find((t) => t.role === 'title')?.text).toBe('B-1 — 实测碳含量分布图');
    const a = await grey(zh.png);
    const b = await grey(en.png);
    // the title band: above the map box
    const band = (img: { data: Buffer; width: number }) => img.data.subarray(0, zh.mapBox.y * img.width);
    const za = band(a);
    const eb = band(b);
    const { ink, differ } = inkAndDifference(za, eb);
    expect(ink).toBeGreaterThan(300);
    expect(differ).toBeGreaterThan(300);
    // the pictures differ in their words only: the map itself (the centre of the section) is the same colour
    const c = (img: { data: Buffer; width: number }) => img.data[Math.round(zh.mapBox.y + zh.mapBox.size * 0.3) * img.width + Math.round(zh.mapBox.x + zh.mapBox.size / 2)];
    expect(c(a)).toBe(c(b));
  });

  it('words the legend in each language, numbers with its decimal mark', async () => {
    const legend = async (language: MapLanguage) => (await renderMapPng(grid(), opts(language))).texts.filter((t) => t.role === 'legend').map((t) => t.text);
    const en = await legend('en');
    const zh = await legend('zh');
    const it_ = await legend('it');
    expect(en).toEqual(expect.arrayContaining(['C, wt.%', '0.40', '0.45', 'C/C0', '1.00', 'C0 = 0.412 wt.%', '(section mean)', 'lines: contour levels', 'masked / no value']));
    expect(zh).toEqual(expect.arrayContaining(['C，wt.%', '0.40', 'C0 = 0.412 wt.%', '（截面平均值）', '线：等值线', '已掩蔽 / 无值']));
    expect(it_).toEqual(expect.arrayContaining(['0,40', '0,45', '1,00', 'C0 = 0,412 wt.%', '(media sulla sezione)', 'mascherato / nessun valore']));
    expect(it_.filter((t) => /\d\.\d/.test(t))).toEqual([]);
    // a negative tick of the signed layer is written with a true minus and the language's mark
    const diff = (await renderMapPng(fillGrid(sectionGrid(R, 41), (x) => x / 10000), opts('it', { quantity: 'difference', range: undefined, levels: [], markers: [] }))).texts.map((t) => t.text);
    expect(diff).toContain('previsto − misurato, wt.%');
    expect(diff.some((t) => /^−0,0\d+$/.test(t))).toBe(true);
  });

  it('keeps every legend label, the title and the subtitle inside the image in en, zh and it at the smallest width', async () => {
    const subtitle = (l: MapLanguage) => (l === 'zh' ? 'Ø 600 mm · 42CrMo4 · 炉号 7731 · C0 = 0.412 wt.% （钢包/熔炼）' : l === 'it' ? 'Ø 600 mm · 42CrMo4 · colata 7731 · C0 = 0,412 wt.% (siviera/colata)' : 'Ø 600 mm · 42CrMo4 · heat 7731 · C0 = 0.412 wt.% (ladle/bulk)');
    for (const language of LANGS) {
      for (const [quantity, c0Source] of [['carbon', 'section-mean'], ['carbon', 'bulk'], ['difference', 'section-mean'], ['uncertainty', 'bulk']] as const) {
        const g = quantity === 'carbon' ? grid() : fillGrid(sectionGrid(R, 41), (x) => (quantity === 'uncertainty' ? 0.01 + Math.abs(x) / 30000 : x / 10000));
        const out = await renderMapPng(g, opts(language, { quantity, c0Source, range: quantity === 'carbon' ? [0.4, 0.45] : undefined, levels: quantity === 'carbon' ? [0.42] : [], subtitle: subtitle(language), ...(quantity === 'carbon' ? {} : { markers: [] }) }));
        const W = out.width;
        const where = { language, quantity, c0Source };
        const placed = out.texts.filter((t) => t.role !== 'marker');
        expect(placed.filter((t) => t.role === 'legend').length, JSON.stringify(where)).toBeGreaterThanOrEqual(quantity === 'uncertainty' ? 7 : 10);
        for (const t of placed) {
          const at = { ...where, text: t.text };
          expect(t.size, JSON.stringify(at)).toBeGreaterThan(0);
          expect(t.x, JSON.stringify(at)).toBeGreaterThanOrEqual(2);
          expect(t.x + t.width, JSON.stringify(at)).toBeLessThanOrEqual(W - 2);
          expect(t.y - t.size, JSON.stringify(at)).toBeGreaterThanOrEqual(0);
          expect(t.y + 0.3 * t.size, JSON.stringify(at)).toBeLessThanOrEqual(out.height);
          // legend words stay right of the section's rim (the heading may reach over the map box's empty corner)
          if (t.role === 'legend') expect(t.x, JSON.stringify(at)).toBeGreaterThanOrEqual(out.mapBox.x + 0.8 * out.mapBox.size);
        }
      }
    }
  });
});
