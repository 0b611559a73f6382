import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../config/index.js';

/**
 * A Unicode TrueType font for the PDF (so ≥, ≤, Δ, ±, Ø print as such). We look in the app's own
 * resources first, then in the usual system places; if none exists the PDF falls back to the built-in
 * Helvetica, whose WinAnsi encoding lacks a few signs — `asciiSafe` spells those out.
 */
export interface ReportFonts {
  regular: string;
  bold: string;
  /** True when a Unicode TTF is embedded; false → Helvetica with ASCII substitutes. */
  unicode: boolean;
}

const CANDIDATES: [string, string][] = [
  [join(packageRoot, 'resources', 'fonts', 'DejaVuSans.ttf'), join(packageRoot, 'resources', 'fonts', 'DejaVuSans-Bold.ttf')],
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/TTF/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf'],
  ['C:\\Windows\\Fonts\\arial.ttf', 'C:\\Windows\\Fonts\\arialbd.ttf'],
  ['/System/Library/Fonts/Supplemental/Arial.ttf', '/System/Library/Fonts/Supplemental/Arial Bold.ttf'],
  ['/Library/Fonts/Arial.ttf', '/Library/Fonts/Arial Bold.ttf'],
];

/**
 * Noto Sans SC (SIL OFL 1.1, @expo-google-fonts/noto-sans-sc): Chinese, plus Latin, Greek and the signs above,
 * so a Chinese report prints the same on every PC. pdfkit embeds only the glyphs used (a subset), so the PDF
 * stays small although the TTF is 10 MB. Packed by electron-builder outside the asar (electron-builder.yml),
 * where the report worker reads it.
 */
function cjkFonts(): ReportFonts | null {
  const dir = join(packageRoot, 'node_modules', '@expo-google-fonts', 'noto-sans-sc').replace(/\.asar([\\/])/, '.asar.unpacked$1');
  const regular = join(dir, '400Regular', 'NotoSansSC_400Regular.ttf');
  const bold = join(dir, '700Bold', 'NotoSansSC_700Bold.ttf');
  if (!existsSync(regular)) return null;
  return { regular, bold: existsSync(bold) ? bold : regular, unicode: true };
}

let cached: ReportFonts | null = null;
let cachedCjk: ReportFonts | null | undefined;

/** The fonts of a report; `cjk` when it prints Chinese (the language, or a name typed in Chinese). */
export function reportFonts(cjk = false): ReportFonts {
  if (cjk) {
    if (cachedCjk === undefined) cachedCjk = cjkFonts();
    // without the CJK font (a broken install) Chinese would print as blanks: refuse rather than print that
    if (!cachedCjk) throw new Error('The Chinese font (Noto Sans SC) is missing from this installation, so a report with Chinese text cannot be printed. Reinstall Ferrolab, or print the report in English or Italian.');
    return cachedCjk;
  }
  if (cached) return cached;
  for (const [r, b] of CANDIDATES) {
    if (existsSync(r)) {
      cached = { regular: r, bold: existsSync(b) ? b : r, unicode: true };
      return cached;
    }
  }
  cached = { regular: 'Helvetica', bold: 'Helvetica-Bold', unicode: false };
  return cached;
}

const SUBSTITUTES: [RegExp, string][] = [
  [/≥/g, '>='],
  [/≤/g, '<='],
  [/Δ/g, 'Delta '],
  [/→/g, '->'],
  [/↓/g, 'down'],
  [/−/g, '-'],
  [/·/g, '.'],
  [/²/g, '^2'],
];

export function asciiSafe(s: string, unicode: boolean): string {
  if (unicode) return s;
  let out = s;
  for (const [re, rep] of SUBSTITUTES) out = out.replace(re, rep);
  return out;
}

/** Chinese, Japanese or Korean characters (CJK blocks and full-width forms): such text needs the CJK font. */
export const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** Whether any of these user-typed texts needs the CJK font. */
export const needsCjk = (texts: readonly unknown[]): boolean => texts.some((v) => typeof v === 'string' && CJK.test(v));

/**
 * Registers the report's fonts as "body" and "bold" and collects the document's bytes: resolves with the whole
 * PDF once `doc.end()` has run (both reports build their document this way).
 */
export function collectPdf(doc: PDFKit.PDFDocument, fonts: ReportFonts): Promise<Buffer> {
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
