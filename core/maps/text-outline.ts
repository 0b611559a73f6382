import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { packageRoot } from '../config/index.js';
import { phrase } from '../api/phrase.js';
import { RefusedError } from '../runtime/refused.js';

/**
 * Text as glyph outlines (SVG path data) from the fonts Ferrolab ships, so a map PNG's words look the same on every
 * PC and Chinese prints: librsvg would otherwise set <text> in whatever fontconfig finds (DejaVu on Linux, with no
 * CJK glyphs, so Chinese came out as boxes). Widths are the fonts' own advances, so a layout can fit a label exactly.
 *
 * Faces, per character in this order: Noto Sans SC (SIL OFL; Latin, Greek, CJK and most signs — the interface's and
 * the PDF's font) and DejaVu Sans (resources/fonts; superscripts and other signs Noto Sans SC lacks). Both files are
 * unpacked from the asar (electron-builder.yml), as core/report/fonts.ts reads them. A character that no face has is
 * refused, naming it: a .notdef box is never drawn.
 */
export type OutlineWeight = 'regular' | 'bold';
export type TextAnchor = 'start' | 'middle' | 'end';

type Face = fontkit.Font;

function fontFiles(weight: OutlineWeight): string[] {
  const unpacked = (p: string) => p.replace(/\.asar([\\/])/, '.asar.unpacked$1');
  const noto = join(packageRoot, 'node_modules', '@expo-google-fonts', 'noto-sans-sc');
  const res = join(packageRoot, 'resources', 'fonts');
  return weight === 'bold'
    ? [unpacked(join(noto, '700Bold', 'NotoSansSC_700Bold.ttf')), unpacked(join(res, 'DejaVuSans-Bold.ttf'))]
    : [unpacked(join(noto, '400Regular', 'NotoSansSC_400Regular.ttf')), unpacked(join(res, 'DejaVuSans.ttf'))];
}

const faces = new Map<OutlineWeight, Face[]>();

/** The faces of a weight, opened once per thread (the report worker opens its own). */
function facesOf(weight: OutlineWeight): Face[] {
  let f = faces.get(weight);
  if (!f) {
    f = fontFiles(weight).map((file) => {
      // a broken install: an internal error (the fonts are part of the app), never a map in another font
      if (!existsSync(file)) throw new Error(`the map font ${file} is missing from this installation; reinstall Ferrolab`);
      const font = fontkit.openSync(file);
      if (!('layout' in font)) throw new Error(`the map font ${file} is a collection, not one face`);
      return font;
    });
    faces.set(weight, f);
  }
  return f;
}

interface Run {
  face: Face;
  text: string;
}

/** Consecutive characters drawn by the same face (the first face that has each one). */
function runsOf(text: string, weight: OutlineWeight): Run[] {
  const list = facesOf(weight);
  const runs: Run[] = [];
  for (const ch of text.replace(/\s/g, ' ')) {
    const cp = ch.codePointAt(0)!;
    const face = list.find((f) => f.hasGlyphForCodePoint(cp));
    if (!face) {
      throw RefusedError.said('invalid_argument', phrase('mapPng.missingGlyph', { char: ch, codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`, text }), { details: { text, codePoint: cp } });
    }
    const last = runs[runs.length - 1];
    if (last && last.face === face) last.text += ch;
    else runs.push({ face, text: ch });
  }
  return runs;
}

interface PlacedGlyph {
  face: Face;
  id: number;
  /** Pen position and offsets in em (1 = the font size). */
  x: number;
  dy: number;
}

/** The glyphs of a text with their positions in em, and its advance width in em. */
function shapeNow(text: string, weight: OutlineWeight): { glyphs: PlacedGlyph[]; width: number } {
  const glyphs: PlacedGlyph[] = [];
  let pen = 0;
  for (const run of runsOf(text, weight)) {
    const em = run.face.unitsPerEm;
    const laid = run.face.layout(run.text);
    laid.glyphs.forEach((g, i) => {
      const p = laid.positions[i];
      // the face said it had the character; a shaping result of .notdef all the same is a bug, not a box to draw
      if (g.id === 0) throw new Error(`glyph .notdef for "${run.text}" in ${run.face.familyName}`);
      glyphs.push({ face: run.face, id: g.id, x: pen + p.xOffset / em, dy: p.yOffset / em });
      pen += p.xAdvance / em;
    });
  }
  return { glyphs, width: pen };
}

// A text's outline at 1000 units per em, its baseline-left corner at 0,0 and y down, and its width in em, kept per
// weight and text: a map draws the same labels, digits and legend words again and again (bounded: cleared when full).
const CACHE_MAX = 4096;
const shaped = new Map<string, { d: string; width: number }>();
function outlineOfText(text: string, weight: OutlineWeight): { d: string; width: number } {
  const key = `${weight}\u0000${text}`;
  let hit = shaped.get(key);
  if (!hit) {
    const { glyphs, width } = shapeNow(text, weight);
    const parts: string[] = [];
    for (const g of glyphs) {
      const ox = g.x * 1000;
      const oy = -g.dy * 1000;
      for (const c of outlineOf(g.face, g.id)) {
        let seg = LETTER[c.command];
        for (let k = 0; k < c.args.length; k += 2) seg += `${k ? ' ' : ''}${round1(ox + c.args[k] * 1000)} ${round1(oy - c.args[k + 1] * 1000)}`;
        parts.push(seg);
      }
    }
    if (shaped.size >= CACHE_MAX) shaped.clear();
    hit = { d: parts.join(''), width };
    shaped.set(key, hit);
  }
  return hit;
}

/** A coordinate to 0.1 unit (1/10 000 em), "-0" written as "0", so the same text always gives the same bytes. */
function round1(v: number): string {
  const r = Math.round(v * 10) / 10;
  return String(r === 0 ? 0 : r);
}

/** The advance width of `text` at `size` px (what the layout fits against the image's edges). */
export function textWidth(text: string, size: number, weight: OutlineWeight = 'regular'): number {
  return outlineOfText(text, weight).width * size;
}

// a glyph's outline commands in em, y up, computed once per face and glyph
const outlines = new Map<Face, Map<number, { command: string; args: number[] }[]>>();
function outlineOf(face: Face, id: number): { command: string; args: number[] }[] {
  let byId = outlines.get(face);
  if (!byId) outlines.set(face, (byId = new Map()));
  let cmds = byId.get(id);
  if (!cmds) {
    const em = face.unitsPerEm;
    cmds = face.getGlyph(id).path.commands.map((c) => ({ command: c.command, args: c.args.map((v) => v / em) }));
    byId.set(id, cmds);
  }
  return cmds;
}

const LETTER: Record<string, string> = { moveTo: 'M', lineTo: 'L', quadraticCurveTo: 'Q', bezierCurveTo: 'C', closePath: 'Z' };

export interface TextOutline {
  /** SVG path data at 1000 units per em, baseline-left corner at 0,0, y down; empty for a blank text. */
  d: string;
  /** Places `d` in the image: `translate(left baseline) scale(size / 1000)`. */
  transform: string;
  /** The scale of `transform` (px per unit): a stroke of w px is w / scale units wide. */
  scale: number;
  /** Left edge and advance width in px. */
  x: number;
  width: number;
}

/**
 * `text` at `size` px with its baseline at y and its start, middle or end at x (as SVG's text-anchor): the outline
 * to fill, and where it lies. The outline is kept per text and placed by a transform, so a label drawn a hundred
 * times is shaped once; coordinates are rounded, so the same text gives the same bytes every time.
 */
export function textOutline(text: string, at: { x: number; y: number; size: number; weight?: OutlineWeight; anchor?: TextAnchor }): TextOutline {
  const { d, width } = outlineOfText(text, at.weight ?? 'regular');
  const w = width * at.size;
  const left = at.anchor === 'middle' ? at.x - w / 2 : at.anchor === 'end' ? at.x - w : at.x;
  const scale = at.size / 1000;
  return { d, transform: `translate(${left.toFixed(2)} ${at.y.toFixed(2)}) scale(${scale.toFixed(6)})`, scale, x: left, width: w };
}
