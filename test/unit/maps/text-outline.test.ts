import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fillGrid, sectionGrid, renderMapPng, textOutline, textWidth } from '../../../core/maps/index.js';
import { RefusedError } from '../../../core/runtime/refused.js';
import en from '../../../core/api/i18n/en/phrases.json' with { type: 'json' };
import zh from '../../../core/api/i18n/zh/phrases.json' with { type: 'json' };
import it_ from '../../../core/api/i18n/it/phrases.json' with { type: 'json' };
import { inkAndDifference } from '../../helpers/grey-ink.js';

/** Every string of a catalog subtree. */
const strings = (o: unknown): string[] => (typeof o === 'string' ? [o] : o && typeof o === 'object' ? Object.values(o).flatMap(strings) : []);

/**
 * The map's text as glyph outlines from the shipped fonts (core/maps/text-outline.ts): Chinese is drawn with its own
 * glyphs (a missing glyph would be the same box for any string), the same text gives the same bytes, and a character
 * no shipped face has is refused by name instead of drawn as a box.
 */

/** A text rasterised alone (black on white, 24 px) through the same path data the map uses. */
async function ink(text: string): Promise<{ pixels: Buffer; dark: number }> {
  const o = textOutline(text, { x: 4, y: 30, size: 24 });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/><path transform="${o.transform}" d="${o.d}" fill="#000"/></svg>`;
  const pixels = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer();
  let dark = 0;
  for (const v of pixels) if (v < 128) dark++;
  return { pixels, dark };
}

describe('map text as glyph outlines', () => {
  it('draws two Chinese strings as two different inks (a missing-glyph box would be the same for both)', async () => {
    const a = await ink('偏析图');
    const b = await ink('碳含量');
    expect(a.dark).toBeGreaterThan(150);
    expect(b.dark).toBeGreaterThan(150);
    const { differ } = inkAndDifference(a.pixels, b.pixels);
    expect(differ).toBeGreaterThan(100);
    // CJK glyphs are one em wide in Noto Sans SC: three characters at 24 px advance 72 px
    expect(textWidth('偏析图', 24)).toBeCloseTo(72, 6);
  });

  it('gives the same path data for the same text, and measures a text as the sum of its parts (no guessed widths)', () => {
    const at = { x: 10.5, y: 20, size: 13 };
    expect(textOutline('C0 = 0,412 wt.% （钢包/熔炼）', at).d).toBe(textOutline('C0 = 0,412 wt.% （钢包/熔炼）', at).d);
    // anchors place the same advance width at the start, middle or end
    const w = textWidth('masked / no value', 13);
    expect(textOutline('masked / no value', { ...at, anchor: 'end' }).x).toBeCloseTo(10.5 - w, 6);
    expect(textOutline('masked / no value', { ...at, anchor: 'middle' }).x).toBeCloseTo(10.5 - w / 2, 6);
    // Latin in Noto Sans SC is proportional: "iii" is much narrower than "WWW" (a per-character guess is not)
    expect(textWidth('WWW', 10)).toBeGreaterThan(2.5 * textWidth('iii', 10));
    // a sign Noto Sans SC lacks (superscript zero) comes from DejaVu Sans, not as a box
    expect(textOutline('C⁰', at).d.length).toBeGreaterThan(textOutline('C', at).d.length);
    expect(textOutline('', at)).toMatchObject({ d: '', x: 10.5, width: 0 });
  });

  it('has a glyph for every character of the words a map draws, in English, Chinese and Italian', () => {
    for (const [lang, c] of [['en', en], ['zh', zh], ['it', it_]] as const) {
      // the picture's own words and the contour line of its subtitle (mapNotes.contours*)
      const { missingGlyph: _, ...drawn } = c.mapPng;
      const words = [...strings(drawn), c.mapNotes.contours, c.mapNotes.contoursNoModel, 'Ø 600 mm · x → , y ↓', 'Δ/C0, %', '−0,012 ±0.003 +3,1%'];
      for (const w of words) expect(textWidth(w, 10), `${lang}: ${w}`).toBeGreaterThan(0);
    }
  });

  it('refuses a character none of the map fonts has, naming it and the text, instead of drawing a box', async () => {
    let err: unknown;
    try {
      textOutline('B-1 🔥', { x: 0, y: 0, size: 10 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RefusedError);
    const r = err as RefusedError;
    expect(r.phrase?.code).toBe('mapPng.missingGlyph');
    expect(r.phrase?.params).toEqual({ char: '🔥', codePoint: 'U+1F525', text: 'B-1 🔥' });
    expect(r.message).toContain('“🔥” (U+1F525) of “B-1 🔥”');
    // in a map: a point label with that character refuses the picture
    const grid = fillGrid(sectionGrid(100, 21), () => 0.42);
    await expect(renderMapPng(grid, { quantity: 'carbon', widthPx: 300, range: [0.4, 0.45], markers: [{ label: 'P🔥', xMm: 0, yMm: 0 }] })).rejects.toThrow(/U\+1F525/);
  });
});
