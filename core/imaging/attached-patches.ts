import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { RefusedError } from '../runtime/refused.js';
import { billetPrefix, billetPrefixAsWritten, makeMarkedLabelReader, namesABillet, prefixKey } from '../segregation/readings-csv.js';
import { checkSignificantBits, decodeGrey, encodeGreyPng, probeImage, refuseLowBitRange } from './decode.js';
import type { GreyImage } from './types.js';
import { ownedTempName } from '../runtime/temp-leftovers.js';
import { phrase, plain, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';
import { SCALE_AGREEMENT } from './resolution-tag.js';

/**
 * Patches attached from separately captured images (a microscope camera at each sampling point) instead of
 * being cut from the section scan. A folder is imported as a whole: each file's name is a point label
 * ("P01.png", "p1.tif", "B12-P01.jpg" — the readings-CSV label matching), every file is fully decoded to
 * prove it is readable, and one bad file refuses the whole folder. Stored content-addressed as 8-bit grey
 * PNG in `images/patches/<sha256>.png`; the pipeline centre-crops to a square and resamples to the model
 * input size like any cut patch.
 */

/** Sub-folder of the data folder's `images/` holding attached patches. */
export const ATTACHED_PATCH_DIR = 'patches';
/** A microscope camera frame is at most a few tens of Mpx; anything larger is not a patch. */
export const DEFAULT_MAX_PATCH_PIXELS = 50_000_000;
/** Smaller than this cannot be resampled into a meaningful model input. */
export const MIN_PATCH_SIDE_PX = 16;
export const MAX_ATTACH_FILES = 2000;

export interface AttachInputFile {
  /** Where the bytes are (an upload in tmp, or a file in the folder given on the CLI). */
  file: string;
  /** The name the user knows the file by; its stem is the point label. */
  name: string;
}

export interface AttachFileProblem {
  file: string;
  message: string;
  /** The problem as a code (the interface words it in its language). */
  phrase?: Phrase;
}

export interface PreparedPatch {
  name: string;
  label: string;
  contentHash: string;
  width: number;
  height: number;
  /**
   * The 8-bit grey PNG to store, staged next to its final place (written at once so a folder of large camera
   * frames is never held in memory together).
   */
  staged: string;
  /** The given scale was kept over a resolution tag that contradicts it (trustGivenScale): false where the tag agrees or says nothing. */
  scaleOverTag: boolean;
}

export interface AttachPreparation {
  /** Every file whose name matched a point, with its label (also when other files failed). */
  matched: Array<{ file: string; label: string }>;
  prepared: PreparedPatch[];
  errors: AttachFileProblem[];
  /** Operating-system clutter a folder picker hands over (Thumbs.db, .DS_Store, ._P01.png): ignored. */
  skipped: string[];
}

/** Files an OS leaves in image folders; a folder picker includes them, they are not refusals. */
export const isFolderClutter = (name: string): boolean => /^\./.test(name) || /^(thumbs\.db|desktop\.ini|ehthumbs\.db)$/i.test(name);

/** File name → the stem that names the point: directories and the last extension dropped. */
export function labelStem(fileName: string): string {
  const b = basename(fileName.replace(/\\/g, '/'));
  return b.slice(0, b.length - extname(b).length).trim();
}

function labelRange(labels: readonly string[]): string {
  if (labels.length === 0) return 'the billet has no sampling points';
  if (labels.length <= 6) return `the billet has ${labels.join(', ')}`;
  return `the billet has ${labels[0]}…${labels[labels.length - 1]}`;
}

/** labelRange's refusal as a code. */
function notALabel(stem: string, labels: readonly string[]): Phrase {
  if (labels.length === 0) return phrase('errors.imaging.attachNotLabelNone', { stem });
  if (labels.length <= 6) return phrase('errors.imaging.attachNotLabelList', { stem, labels: labels.join(', ') });
  return phrase('errors.imaging.attachNotLabelRange', { stem, first: labels[0], last: labels[labels.length - 1] });
}

/**
 * Checks a folder of patch images against the billet's point labels: names (unknown label, two files for one
 * point), then every image fully decoded (corrupt, truncated, not an image, too large, too small). All problems
 * are collected so the user fixes the folder in one go; the caller stores nothing when `errors` is non-empty.
 */
export async function prepareAttachedPatches(
  files: readonly AttachInputFile[],
  knownLabels: readonly string[],
  opts: { imagesDir: string; /** Names of the other billets in this data folder: a file name prefixed by one is refused. */ otherBillets?: readonly string[]; /** The billet's own name: when some file names carry it, a name prefixed by another name is refused. */ ownBillet?: string; maxPixels?: number; significantBits?: number; mmPerPx?: number | null; /** Keep `mmPerPx` over a resolution tag that contradicts it (a camera program writing its sensor pitch). */ trustGivenScale?: boolean; signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
): Promise<AttachPreparation> {
  const readLabel = makeMarkedLabelReader(knownLabels, opts);
  const otherBillet = new Map((opts.otherBillets ?? []).map((n) => [prefixKey(n), n]));
  const ownKey = opts.ownBillet !== undefined ? prefixKey(opts.ownBillet) : '';
  // a replicate mark after the point ("P05-R2.png", as the readings of that burn are labelled) names the point and no
  // billet: the point's second file is refused as one, not as another billet's. A mark before the point ("R2-P05.png")
  // is refused, as the readings import refuses it: ring or ray numbering is written so too, and would put ring 2's
  // fifth patch on P05.
  const read = (stem: string) => {
    const r = readLabel(stem);
    return { label: r.label, unmarked: r.mark?.rest ?? stem, before: r.mark?.before ? r.mark : null };
  };
  const out: AttachPreparation = { matched: [], prepared: [], errors: [], skipped: [] };
  const firstFor = new Map<string, string>();
  const prefixedAt = new Map<string, { prefix: string; name: string; stem: string }>();
  const todo: Array<AttachInputFile & { label: string }> = [];
  // the billet's own name before some points ("B12-P01.png" into B12, "4712-P01.png" into heat 4712): another name
  // ("B13-P43.png") is another billet's, even before that billet is stored
  const ownFirst = ownKey !== ''
    ? files.map((f) => basename(f.name.replace(/\\/g, '/'))).find((name) => {
      const stem = isFolderClutter(name) ? null : labelStem(name);
      const r = stem ? read(stem) : null;
      return r !== null && r.label !== null && billetPrefix(r.unmarked, r.label) === ownKey;
    })
    : undefined;
  for (const f of files) {
    const name = basename(f.name.replace(/\\/g, '/'));
    if (isFolderClutter(name)) { out.skipped.push(name); continue; }
    const stem = labelStem(name);
    const { label, unmarked, before } = stem ? read(stem) : { label: null, unmarked: stem, before: null };
    if (!label) {
      out.errors.push({ file: name, message: `"${stem}" is not a point label of this billet (${labelRange(knownLabels)})`, phrase: notALabel(stem, knownLabels) });
      continue;
    }
    if (before) {
      const said = phrase('errors.imaging.attachMarkBefore', { stem, mark: before.mark, point: label });
      out.errors.push({ file: name, message: english(said), phrase: said });
      continue;
    }
    out.matched.push({ file: name, label });
    // one folder, one billet, refused on evidence: "B13-P02.png" where B13 is another billet of this data folder, or one
    // point under two prefixes; a date or a camera counter before the point ("Img_001_P01.png") names no billet
    const prefix = billetPrefix(unmarked, label);
    if (prefix !== null) {
      const billet = otherBillet.get(prefix);
      if (billet !== undefined) {
        const said = phrase('errors.imaging.attachOtherBillet', { stem, billet });
        out.errors.push({ file: name, message: english(said), phrase: said });
        continue;
      }
      if (ownFirst !== undefined && prefix !== ownKey && namesABillet(prefix)) {
        const said = phrase('errors.imaging.attachNotThisBillet', { stem, prefix: billetPrefixAsWritten(unmarked), first: ownFirst, billet: opts.ownBillet! });
        out.errors.push({ file: name, message: english(said), phrase: said });
        continue;
      }
      const firstPrefixed = prefixedAt.get(label);
      if (!firstPrefixed) prefixedAt.set(label, { prefix, name, stem: unmarked });
      else if (firstPrefixed.prefix !== prefix && (namesABillet(prefix) || namesABillet(firstPrefixed.prefix))) {
        const said = phrase('errors.imaging.attachTwoBillets', { stem, first: firstPrefixed.name, prefix: billetPrefixAsWritten(unmarked), firstPrefix: billetPrefixAsWritten(firstPrefixed.stem) });
        out.errors.push({ file: name, message: english(said), phrase: said });
        continue;
      }
    }
    const first = firstFor.get(label);
    if (first !== undefined) {
      out.errors.push({ file: name, message: `${label} already has a patch in this folder: "${first}" (one patch per point)`, phrase: phrase('errors.imaging.attachTwice', { label, first }) });
      continue;
    }
    firstFor.set(label, name);
    todo.push({ file: f.file, name, label });
  }
  try {
    for (let i = 0; i < todo.length; i++) {
      opts.signal?.throwIfAborted();
      const f = todo[i];
      try {
        out.prepared.push(await preparePatchFile(f.file, f.name, f.label, opts.imagesDir, opts.maxPixels ?? DEFAULT_MAX_PATCH_PIXELS, opts.significantBits, opts.mmPerPx ?? undefined, opts.trustGivenScale));
      } catch (err) {
        if (!(err instanceof RefusedError)) throw err;
        out.errors.push({ file: f.name, message: reasonOf(err), ...(err.phrase ? { phrase: err.phrase } : {}) });
      }
      opts.onProgress?.(i + 1, todo.length);
    }
  } catch (err) {
    discardPrepared(out.prepared);
    throw err;
  }
  // A refused folder stores nothing: its staged files go now.
  if (out.errors.length) {
    discardPrepared(out.prepared);
    out.prepared = [];
  }
  // Problems in the order the files were given (the folder's order), whichever check found them.
  const order = new Map(files.map((f, i) => [basename(f.name.replace(/\\/g, '/')), i]));
  out.errors.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  return out;
}

const reasonOf = (err: RefusedError): string => {
  const d = err.details as { reason?: string } | undefined;
  return d?.reason ?? err.message;
};

/**
 * Decodes one patch image completely (proving it is intact) and stages it as the grey PNG to store. A 16-bit image that
 * uses only its low bits (a 12-bit camera's values stored unscaled) is refused, as a section is, unless `significantBits`
 * declares them: then it is checked against the data and scaled by 2^(16 − bits) before it becomes the 8-bit patch.
 * Unchecked, 12-bit values had been stored as a patch of a dozen grey levels without a word.
 */
export async function preparePatchFile(file: string, name: string, label: string, imagesDir: string, maxPixels = DEFAULT_MAX_PATCH_PIXELS, significantBits?: number, mmPerPx?: number, trustGivenScale = false): Promise<PreparedPatch> {
  if (!existsSync(file) || !statSync(file).isFile()) throw RefusedError.said('invalid_argument', phrase('errors.imaging.attachMissing', { file: name }), { details: { file: name, reason: 'the file is missing' } });
  const header = await probeImage(file, { maxPixels, displayName: name });
  const contradicted = mmPerPx !== undefined ? await scaleContradiction(file, name, header.page, mmPerPx) : null;
  if (contradicted && !trustGivenScale) throw contradicted;
  const storedMax = significantBits !== undefined ? await checkSignificantBits(file, header, significantBits, { maxPixels, displayName: name }) : undefined;
  const probed = significantBits !== undefined ? { ...header, significantBits } : header;
  const grey = await decodeGrey(file, probed, { maxPixels, displayName: name });
  let greyMax = 0;
  for (const v of grey.data) if (v > greyMax) greyMax = v;
  await refuseLowBitRange(file, probed, greyMax, { maxPixels, displayName: name, storedMax, attach: true });
  if (Math.min(grey.width, grey.height) < MIN_PATCH_SIDE_PX) {
    const reason = `${grey.width}×${grey.height} px is too small for a patch (at least ${MIN_PATCH_SIDE_PX} px on each side)`;
    throw RefusedError.said('invalid_argument', phrase('errors.imaging.attachTooSmall', { file: name, width: grey.width, height: grey.height, min: MIN_PATCH_SIDE_PX }), { details: { file: name, reason } });
  }
  const png = await encodeGreyPng(grey);
  const dir = join(imagesDir, ATTACHED_PATCH_DIR);
  mkdirSync(dir, { recursive: true });
  const staged = join(dir, `${ownedTempName('.staging-')}.png`);
  writeFileSync(staged, png);
  return { name, label, contentHash: createHash('sha256').update(png).digest('hex'), width: grey.width, height: grey.height, staged, scaleOverTag: contradicted !== null };
}

/**
 * A resolution tag finer than this (2540 px per inch) is a microscope's calibration; coarser ones (72, 96, 300 dpi) are
 * what programs write by default and say nothing about the picture.
 */
const CALIBRATION_MAX_MM_PER_PX = 0.01;

/**
 * The refusal of a given scale that the image's own calibration contradicts by more than 2 %: a camera TIFF at 50 800 px/inch
 * (0.0005 mm/px) attached with 0.005 mm/px had been cut ten times too large by a model with a physical patch size.
 */
// (returned, not thrown: with trustGivenScale the file is kept, and recorded as kept over its tag, only where this says so)
async function scaleContradiction(file: string, name: string, page: number, mmPerPx: number): Promise<RefusedError | null> {
  const meta = await sharp(file, { page, limitInputPixels: false }).metadata();
  if (!meta.density || (meta.resolutionUnit !== 'inch' && meta.resolutionUnit !== 'cm')) return null;
  const declared = 25.4 / meta.density; // sharp gives the density in pixels per inch whatever the file's unit
  if (declared > CALIBRATION_MAX_MM_PER_PX || Math.abs(mmPerPx / declared - 1) <= SCALE_AGREEMENT) return null;
  const said = phrase('errors.imaging.attachScaleContradicted', { file: name, declared: plain(Number(declared.toPrecision(4))), dpi: Math.round(meta.density), given: plain(mmPerPx) });
  const lead = `Cannot attach "${name}": `;
  const words = english(said);
  return RefusedError.said('invalid_argument', said, { details: { file: name, reason: words.startsWith(lead) ? words.slice(lead.length) : words } });
}

export const attachedPatchPath = (imagesDir: string, contentHash: string): string => join(imagesDir, ATTACHED_PATCH_DIR, `${contentHash}.png`);
/** Path relative to the data folder, for `fileUrl`. */
export const attachedPatchRel = (contentHash: string): string => `images/${ATTACHED_PATCH_DIR}/${contentHash}.png`;

/**
 * Moves the staged PNGs into place (`images/patches/<hash>.png`; a hash already stored is kept and its staged
 * copy dropped). Returns the files that did not exist before, so a caller whose database write fails can remove
 * exactly those.
 */
export function storeAttachedPatches(imagesDir: string, prepared: readonly PreparedPatch[]): string[] {
  const created: string[] = [];
  try {
    for (const p of prepared) {
      const dest = attachedPatchPath(imagesDir, p.contentHash);
      if (existsSync(dest)) rmSync(p.staged, { force: true });
      else {
        renameSync(p.staged, dest);
        created.push(dest);
      }
    }
  } catch (err) {
    removeFiles(created);
    discardPrepared(prepared);
    throw err;
  }
  return created;
}

/** Removes the staged files of a preparation that will not be stored. */
export function discardPrepared(prepared: readonly PreparedPatch[]): void {
  for (const p of prepared) rmSync(p.staged, { force: true });
}

export function removeFiles(files: readonly string[]): void {
  for (const f of files) rmSync(f, { force: true });
}

/**
 * Removes the stored files of `candidates` (content hashes a write just replaced or removed) that no row uses.
 * Only candidates: a global sweep could delete the fresh files of a concurrent attach not yet committed.
 */
export function sweepAttachedPatchFiles(imagesDir: string, candidates: Iterable<string>, used: ReadonlySet<string>): number {
  let n = 0;
  for (const h of new Set(candidates)) {
    if (used.has(h) || !/^[0-9a-f]{64}$/.test(h)) continue;
    const f = attachedPatchPath(imagesDir, h);
    rmSync(join(imagesDir, ATTACHED_PATCH_DIR, 'previews', h), { recursive: true, force: true });
    if (existsSync(f)) {
      rmSync(f, { force: true });
      n++;
    }
  }
  return n;
}

/** A stored attached patch for the pipeline. */
export interface AttachedPatchImage {
  label: string;
  name: string;
  contentHash: string;
  /** mm per pixel of the captured image (given on attach); null when it was not given. */
  mmPerPx: number | null;
  /** Decodes the stored 8-bit grey PNG. On demand: 85 camera frames of 20 Mpx must not sit in memory at once. */
  read(): Promise<GreyImage>;
}

export interface AttachedPatchRef {
  label: string;
  contentHash: string;
  originalName: string;
  mmPerPx?: number | null;
}

/** The stored patches of a billet, keyed by point label; a missing file fails now, naming the point and file. */
export async function loadAttachedPatches(imagesDir: string, refs: readonly AttachedPatchRef[]): Promise<Map<string, AttachedPatchImage>> {
  const out = new Map<string, AttachedPatchImage>();
  for (const r of refs) {
    const file = attachedPatchPath(imagesDir, r.contentHash);
    if (!existsSync(file)) throw RefusedError.said('failed_precondition', phrase('errors.imaging.attachedGone', { label: r.label, file: r.originalName }));
    out.set(r.label, { label: r.label, name: r.originalName, contentHash: r.contentHash, mmPerPx: r.mmPerPx ?? null, read: () => readGreyPng(file) });
  }
  return out;
}

async function readGreyPng(file: string): Promise<GreyImage> {
  const { data, info } = await sharp(file).toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * The centred square of an image (a patch is centred on its point; a camera frame is rarely square): the largest
 * one, or one of `side` px (a physical patch size at the image's own scale), refused when the image is smaller.
 */
export function centreSquare(img: GreyImage, wanted?: number): { data: Uint8Array; side: number } {
  const largest = Math.min(img.width, img.height);
  if (wanted !== undefined && wanted > largest) throw new Error(`centreSquare: ${wanted} px does not fit in ${img.width}×${img.height} px`);
  const side = wanted ?? largest;
  if (img.width === side && img.height === side) return { data: img.data, side };
  const x0 = Math.floor((img.width - side) / 2), y0 = Math.floor((img.height - side) / 2);
  const data = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) data.set(img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + side), y * side);
  return { data, side };
}
