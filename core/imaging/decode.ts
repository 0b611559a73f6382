import sharp, { type Metadata, type Sharp } from 'sharp';
import { basename } from 'node:path';
import { RefusedError } from '../runtime/refused.js';
import type { GreyImage } from './types.js';
import { log } from '../runtime/log.js';
import { fixed, phrase, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';
import { SIGNIFICANT_BITS } from '../api/methods/images.js';
import { streamedColourMax } from './colour-max.js';

/** 20 000 × 20 000 px: a 600 mm section at 30 µm/px. A 40 000² scan (1.6 Gpx, 1.6 GB as 8-bit grey) is refused. */
export const DEFAULT_MAX_PIXELS = 20_000 * 20_000;

export const ACCEPTED_FORMATS = ['png', 'jpeg', 'tiff'] as const;
export type SectionFormat = (typeof ACCEPTED_FORMATS)[number];

export interface ProbedImage {
  format: SectionFormat;
  width: number;
  height: number;
  channels: number;
  /** Bits per sample (8, 16, 32). */
  bitDepth: number;
  /** Number of pages in a multi-page / pyramidal TIFF (1 otherwise). */
  pages: number;
  /** The page used: the one with the most pixels (page 0 of a pyramidal TIFF is full resolution). */
  page: number;
  /**
   * Declared significant bits of a 16-bit image (a 12-bit camera's values stored unscaled): every reader gets its
   * samples scaled by 2^(16 − bits) (`openSection`). Absent: read as stored. Set by the import (`checkSignificantBits`)
   * and kept in the section's manifest, so every later decode of it scales the same way.
   */
  significantBits?: number;
}

const BITS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, complex: 64, double: 64, dpcomplex: 128 };

function refuse(file: string, displayName: string | undefined, said: (file: string) => Phrase): RefusedError {
  const name = displayName ?? basename(file);
  const p = said(name);
  // details.reason: the English words after "Cannot import "<file>": " (the attach report lists reasons per file)
  const words = english(p);
  const lead = `Cannot import "${name}": `;
  return RefusedError.said('invalid_argument', p, { field: 'upload', details: { file: name, reason: words.startsWith(lead) ? words.slice(lead.length) : words } });
}

/**
 * Reads only the header: format, size, depth, pages. Refuses non-images, unsupported formats and images above
 * `maxPixels` before any pixel is decoded, with a message naming the file and the reason.
 */
export async function probeImage(file: string, opts: { maxPixels?: number; displayName?: string; refuseTurned?: boolean } = {}): Promise<ProbedImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw refuse(file, opts.displayName, (f) => (/unsupported image format/i.test(msg) ? phrase('errors.imaging.notImage', { file: f }) : phrase('errors.imaging.unreadable', { file: f, detail: msg.split('\n')[0] })));
  }
  const format = meta.format as string | undefined;
  if (!format || !(ACCEPTED_FORMATS as readonly string[]).includes(format)) {
    throw refuse(file, opts.displayName, (f) => phrase('errors.imaging.format', { file: f, format: format ?? '?' }));
  }
  // Pixels are read as stored (no reader applies EXIF orientation): a section a viewer turns would have its points,
  // maps and report turned against the picture the lab knows, so it is refused (an attached patch's turn does not
  // matter: the CNN reads all 8 dihedral views).
  const orientation = meta.orientation ?? 1;
  if (opts.refuseTurned && orientation !== 1) throw refuse(file, opts.displayName, (f) => phrase('imageOrientation.turned', { file: f, orientation }));
  let width = meta.width ?? 0, height = meta.height ?? 0, page = 0;
  const pages = meta.pages ?? 1;
  if (format === 'tiff' && pages > 1) {
    // Pages of a multi-page TIFF may differ in size; take the largest (full-resolution) one.
    for (let p = 0; p < Math.min(pages, 64); p++) {
      const m = await sharp(file, { page: p, limitInputPixels: false })
        .metadata()
        .catch((err: unknown) => (log.warn('imaging', 'a TIFF page could not be read; the largest readable page is used', { file: opts.displayName ?? file, page: p, err }), null));
      if (m && (m.width ?? 0) * (m.height ?? 0) > width * height) {
        width = m.width ?? 0;
        height = m.height ?? 0;
        page = p;
      }
    }
  }
  if (!(width > 0 && height > 0)) throw refuse(file, opts.displayName, (f) => phrase('errors.imaging.noSize', { file: f }));
  if (width * height > maxPixels) {
    throw refuse(
      file,
      opts.displayName,
      (f) => phrase('errors.imaging.tooManyPixels', { file: f, width, height, mpx: fixed((width * height) / 1e6, 0), limit: fixed(maxPixels / 1e6, 0) }),
    );
  }
  return { format: format as SectionFormat, width, height, channels: meta.channels ?? 1, bitDepth: BITS[meta.depth ?? 'uchar'] ?? 8, pages, page };
}

/**
 * sharp pipeline over the chosen page, with our own pixel limit (sharp's default is lower; false: none). A section
 * with declared significant bits is scaled by 2^(16 − bits) here (alpha untouched), the one place every reader —
 * the 8-bit decode, previews, tiles, thumbnail, windows — opens it: the values are exact 16-bit ones (the import
 * refused any that would overflow), read on as a full-range image is.
 */
export function openSection(file: string, probed: Pick<ProbedImage, 'page' | 'significantBits'>, maxPixels: number | false = DEFAULT_MAX_PIXELS): Sharp {
  const s = sharp(file, { page: probed.page, limitInputPixels: maxPixels, failOn: 'error' });
  return probed.significantBits ? s.linear(2 ** (16 - probed.significantBits), 0) : s;
}

/**
 * The brightest colour sample as stored (an opaque alpha, 65535 beside 12-bit grey, would pass for full-range data).
 * Grey and RGB are streamed (colour-max.ts: sharp's stats() would hold the decoded image, an out-of-memory near the
 * pixel limit); another colour space (16-bit CMYK) falls back to stats(), exact but holding the image.
 */
async function colourStats(file: string, probed: ProbedImage, maxPixels?: number): Promise<{ max: number; channels: number; hasAlpha: boolean }> {
  const raw = { ...probed, significantBits: undefined };
  const meta = await openSection(file, raw, maxPixels).metadata();
  const hasAlpha = Boolean(meta.hasAlpha), channels = meta.channels ?? 1;
  if (STREAMED_SPACES.has(meta.space ?? '')) {
    const max = await streamedColourMax(openSection(file, raw, maxPixels), { channels, hasAlpha });
    return { max, channels: channels - (hasAlpha ? 1 : 0), hasAlpha };
  }
  const stats = await openSection(file, raw, maxPixels).stats();
  const colour = stats.channels.slice(0, stats.channels.length - (hasAlpha ? 1 : 0));
  return { max: Math.max(...colour.map((c) => c.max)), channels: colour.length, hasAlpha };
}
const STREAMED_SPACES = new Set(['b-w', 'grey16', 'srgb', 'rgb16', 'rgb']);

/** The bits a value needs (3499 → 12), at least the smallest declarable count. */
const bitsFor = (max: number) => Math.max(SIGNIFICANT_BITS.min, Math.ceil(Math.log2(Math.round(max) + 1)));

/**
 * Checks a declared significant bit count against the data, before anything is stored: refused on an image that
 * is not 16-bit (nothing to scale), and when any colour sample is at or above 2^bits (scaled, it would overflow:
 * the declaration is wrong), naming the brightest value and how many pixels exceed the limit (`countAbove`).
 * Answers the brightest colour sample as stored, which `refuseLowBitRange` then takes instead of reading it again.
 */
export async function checkSignificantBits(file: string, probed: ProbedImage, bits: number, opts: { maxPixels?: number; displayName?: string } = {}): Promise<number> {
  if (!Number.isInteger(bits) || bits < SIGNIFICANT_BITS.min || bits > SIGNIFICANT_BITS.max) throw new RangeError(`significant bits must be ${SIGNIFICANT_BITS.min}–${SIGNIFICANT_BITS.max}, got ${bits}`);
  if (probed.bitDepth !== 16) throw refuse(file, opts.displayName, (f) => phrase('imageBits.notSixteen', { file: f, depth: probed.bitDepth, bits }));
  const { max } = await colourStats(file, probed, opts.maxPixels);
  const limit = 2 ** bits - 1;
  if (max <= limit) return max;
  const count = await countAbove(file, probed, limit, opts.maxPixels);
  throw refuse(file, opts.displayName, (f) => phrase('imageBits.contradicted', { file: f, bits, limit, max: Math.round(max), count, need: bitsFor(max) }));
}

/**
 * The pixels with a colour sample above `limit`, counted inside libvips without holding the image: decoding it to
 * one 16-bit buffer would take 800 MB (grey) to 2.4 GB (RGB) at the 20 000² limit — an out-of-memory instead of
 * the worded refusal. Pass 1 streams a per-channel mask (a·v + b with a = 65535, b = −65535·limit: ≤ 0 at or below
 * the limit, ≥ 65535 above, clamped to 0 / full on the cast; alpha left out), kept as a PNG, which a mask
 * compresses to little; pass 2 ORs the channels into one band (sharp's `stats` reads its input, not a pipeline's
 * result, hence the two encoded steps); its channel sum / full value is the count, exact in a double.
 */
async function countAbove(file: string, probed: ProbedImage, limit: number, maxPixels?: number): Promise<number> {
  const mask = await openSection(file, { ...probed, significantBits: undefined }, maxPixels)
    .linear(65535, -65535 * limit)
    .removeAlpha()
    .png({ compressionLevel: 1 })
    .toBuffer();
  const any = await sharp(mask, { limitInputPixels: false }).bandbool('or').toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer();
  const c = (await sharp(any, { limitInputPixels: false }).stats()).channels[0]!;
  return c.max > 0 ? Math.round(c.sum / c.max) : 0;
}

/**
 * Decodes the whole section once to 8-bit grey (16-bit input is scaled, not clipped; colour is converted with
 * the luminance weights of libvips' b-w colourspace). Fails on truncated or corrupt data naming the file.
 */
export async function decodeGrey(file: string, probed: ProbedImage, opts: { maxPixels?: number; displayName?: string } = {}): Promise<GreyImage> {
  try {
    const { data, info } = await openSection(file, probed, opts.maxPixels)
      .flatten({ background: '#000000' })
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected 1 channel after greyscale conversion, got ${info.channels}`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    if (err instanceof RefusedError) throw err;
    throw refuse(file, opts.displayName, (f) => phrase('errors.imaging.corrupt', { file: f, detail: (err instanceof Error ? err.message : String(err)).split('\n')[0] }));
  }
}

/** A grey version fitted inside `maxSide` px (for circle detection and previews), plus the scale back to full res. */
export async function decodeGreyPreview(file: string, probed: ProbedImage, maxSide = 1024, opts: { maxPixels?: number; displayName?: string } = {}): Promise<{ image: GreyImage; scale: number }> {
  try {
    const { data, info } = await openSection(file, probed, opts.maxPixels)
      .flatten({ background: '#000000' })
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true, kernel: 'linear' })
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { image: { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }, scale: probed.width / info.width };
  } catch (err) {
    throw refuse(file, opts.displayName, (f) => phrase('errors.imaging.corrupt', { file: f, detail: (err instanceof Error ? err.message : String(err)).split('\n')[0] }));
  }
}

/**
 * Refuses a 16-bit image that uses only its low bits (under 13: a 12-bit camera's values stored unscaled) unless its
 * significant bits were declared: read as 16-bit and scaled to 8 bits it keeps a dozen grey levels — a section read
 * almost black, its patches a few levels deep, and a model's predictions printed on them without a word. The refusal
 * names the brightest value and the bits to declare; the bits are never guessed. A declaration is tested the same
 * way on the scaled data (max · 2^(16 − bits)): 12-bit values declared as 15 are scaled only ×2 and would keep as
 * few levels, so that is refused too, naming the bits the data need. `previewMax` (the 8-bit preview's brightest
 * pixel, already scaled) is the cheap test; only a suspect image is measured exactly (pass 0 to always measure a
 * 16-bit image), unless `storedMax` gives that measure. `attach`: the file is an attached patch image (its sentence
 * names `patches attach`).
 */
export async function refuseLowBitRange(file: string, probed: ProbedImage, previewMax: number, opts: { maxPixels?: number; displayName?: string; storedMax?: number; attach?: boolean } = {}): Promise<void> {
  if (probed.bitDepth !== 16 || previewMax >= 32) return;
  // as stored (colourStats does not scale); known already when checkSignificantBits read it
  const max = opts.storedMax ?? (await colourStats(file, probed, opts.maxPixels)).max;
  const declared = probed.significantBits;
  const scaled = declared ? max * 2 ** (16 - declared) : max;
  if (scaled >= 32 * 257) return;
  const levels = Math.round(scaled / 257) + 1;
  if (declared) {
    throw refuse(file, opts.displayName, (f) => phrase('imageBits.overDeclared', { file: f, declared, max: Math.round(max), levels, bits: bitsFor(max) }));
  }
  // an attached patch is declared on `patches attach`, a section on `billet import`: the sentence names the right one
  const [brightest, bits] = [Math.round(max), bitsFor(max)];
  throw refuse(file, opts.displayName, (f) =>
    opts.attach ? phrase('imageBits.lowRangePatch', { file: f, max: brightest, levels, bits }) : phrase('imageBits.lowRange', { file: f, max: brightest, levels, bits }));
}

/** Encodes an 8-bit grey image as PNG. */
export async function encodeGreyPng(img: GreyImage): Promise<Buffer> {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();
}
