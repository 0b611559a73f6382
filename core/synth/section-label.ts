import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { SYNTHETIC_LABEL } from './write.js';

/**
 * What a file says about being a Ferrolab synthetic section: the label in its EXIF ImageDescription (written by
 * `syntheticSectionPng`) and the billet's diameter that the generator drew it at. A real image's diameter is never
 * assumed (the CLI refuses an import without one); a synthetic one's is known, from the label — or, for a file
 * written before the label carried it, from the `truth.json` of the same seed and variant beside it — else null.
 */
export interface SyntheticSectionInfo {
  diameterMm: number | null;
}

const DIAMETER = /; diameter ([0-9]+(?:\.[0-9]+)?) mm/;
const SEED = /; seed ([0-9]+); variant ([a-z-]+)/;

/** The synthetic label's parts, null when the file carries no synthetic label (or cannot be read here). */
export async function readSyntheticSection(file: string): Promise<SyntheticSectionInfo | null> {
  let text: string;
  try {
    const m = await sharp(file).metadata();
    if (!m.exif) return null;
    text = m.exif.toString('latin1');
  } catch {
    return null; // unreadable here: the import that follows reports why, with the file name
  }
  if (!text.includes(SYNTHETIC_LABEL)) return null;
  const d = DIAMETER.exec(text);
  if (d) return { diameterMm: Number(d[1]) };
  return { diameterMm: truthDiameter(file, SEED.exec(text)) };
}

/** The diameter in the truth.json beside `file`, when it is the truth of the same seed and variant. */
function truthDiameter(file: string, seed: RegExpExecArray | null): number | null {
  const truth = join(dirname(file), 'truth.json');
  if (!seed || !existsSync(truth)) return null;
  try {
    const t = JSON.parse(readFileSync(truth, 'utf8')) as { synthetic?: unknown; seed?: unknown; variant?: unknown; image?: { diameterMm?: unknown } };
    const d = t.image?.diameterMm;
    return t.synthetic === true && t.seed === Number(seed[1]) && t.variant === seed[2] && typeof d === 'number' && d > 0 ? d : null;
  } catch {
    return null;
  }
}
