import { phrase } from '../api/phrase.js';
import { RefusedError } from './refused.js';

/**
 * The row a CSV's own parser reads its column names from: its line (1-based, CR, CRLF and LF each ending one), its
 * cells as that parser splits them, and the delimiter it splits at. Each importer passes its own finder, so a NUL is
 * named by the column the parser would have named (a readings file's header may follow an instrument's preamble).
 */
export interface CsvHeader {
  line: number;
  cells: readonly string[];
  delimiter: string;
}
export type CsvHeaderFinder = (text: string) => CsvHeader | null;

/**
 * The bytes of a CSV a lab hands over, as text: UTF-16 with a BOM (Excel's "Unicode text"), UTF-8 (BOM stripped), else
 * Windows-1252, which old analyser and plant PCs write. Every CSV import reads its file through here, so a file that
 * imports as readings imports as Jominy heats too (read as UTF-8 whatever its bytes, "Stahl Ö" in Windows-1252 had
 * become "Stahl \uFFFD", one grade with "Stahl Ü", and a UTF-16 file was refused column by column).
 *
 * Bytes that are no CSV are refused by `name` before they are read as text: a workbook (.xlsx/.ods are zip files,
 * .xls an OLE file), and a NUL byte, which no text file holds but UTF-16 without its BOM has in every other byte
 * (read as text, its labels became " P 0 1 " and every line was refused as something it is not).
 *
 * NULs at the very end are an instrument's or PLC's padding to a block size when the text before them ends with a line
 * break: dropped. After a last line with no break they are refused (`csvBytes.cutShort`): a copy cut off mid-write into
 * a file reserved at its full size (a crash, a pulled USB stick) leaves exactly these bytes, and the importers' own
 * checks of a last line cut short cannot catch most such cuts — a ppm integer 4510 cut to 45, a 1–2 row file, a label
 * column last (P12 cut to P1), a cut inside a multi-byte UTF-8 character (the whole file then reads as Windows-1252).
 * A NUL inside the text that is not UTF-16's pattern is refused by its byte, line, column (named from the header
 * `headerOf` finds, the parser's own; without one, or above that header, by line and the text around it) and value.
 */
export function decodeCsvBytes(bytes: Uint8Array, name = 'the file', headerOf?: CsvHeaderFinder): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16Text(bytes, 'utf-16le', name, headerOf);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16Text(bytes, 'utf-16be', name, headerOf);
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x50, 0x4b, 0x03, 0x04]) || starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    throw RefusedError.said('invalid_argument', phrase('csvBytes.workbook', { name }));
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const padBytes = bytes.length - end;
  bytes = bytes.subarray(0, end);
  const nul = bytes.indexOf(0);
  if (nul >= 0 && utf16Pattern(bytes)) throw RefusedError.said('invalid_argument', phrase('csvBytes.nul', { name, byte: nul + 1 }));
  // a line break is the same byte in UTF-8 and Windows-1252, and no byte of a multi-byte UTF-8 character
  if (padBytes > 0 && end > 0 && bytes[end - 1] !== 0x0a && bytes[end - 1] !== 0x0d) refuseCutShort(new TextDecoder('windows-1252').decode(bytes), padBytes, name);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // not UTF-8: the documented fallback for old analyzer PCs, not an error
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  text = text.replace(/^\uFEFF/, '');
  // a NUL byte is U+0000 in both encodings, and the first one is the first byte 0
  if (nul >= 0) refuseStrayNul(text, text.indexOf('\u0000'), nul + 1, name, headerOf);
  return text;
}

/**
 * UTF-16 with its BOM, padded or not: the padding is stripped in code units after decoding (stripped as bytes before,
 * it had become a row of U+0000 and a misleading refusal), and refused after a last line with no break as in UTF-8; a
 * U+0000 inside the text is refused as in a UTF-8 file. A second BOM (a file saved twice as "Unicode text") stays in
 * the decoded text until the NUL's byte is counted (the decoder had dropped it, and the byte named was 2 short).
 */
function utf16Text(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', name: string, headerOf: CsvHeaderFinder | undefined): string {
  let body = bytes.subarray(2);
  // an odd count of padding bytes leaves one NUL that is no code unit
  if (body.length % 2 === 1 && body[body.length - 1] === 0) body = body.subarray(0, body.length - 1);
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(body).replace(/\u0000+$/, '');
  const padBytes = bytes.length - 2 - 2 * text.length;
  if (padBytes > 0 && text.replace(/^\uFEFF/, '') !== '' && !/[\r\n]$/.test(text)) refuseCutShort(text, padBytes, name);
  const nul = text.indexOf('\u0000');
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  if (nul >= 0) refuseStrayNul(text.slice(bom), nul - bom, 2 + 2 * nul + 1, name, headerOf);
  return text.slice(bom);
}

/** Zero bytes after a last line with no line break: a copy cut off mid-write, refused (see decodeCsvBytes). */
function refuseCutShort(text: string, padBytes: number, name: string): never {
  throw RefusedError.said('invalid_argument', phrase('csvBytes.cutShort', { name, bytes: padBytes, line: lineAt(text) }));
}

/**
 * A NUL inside the text, named as every refused cell is: its line (CR, CRLF and LF each end one, as the parsers count),
 * its column — the name the parser's own header row gives it (`headerOf`), else its position in that delimiter's split —
 * and the cell as written, the NUL shown as ␀ (a run of them as [␀×count]). Without a header to go by (no finder, none
 * found, or the NUL above it, in a preamble), the line and the text around the NUL only: a guessed header had named an
 * instrument's preamble line as the column.
 */
function refuseStrayNul(text: string, at: number, byte: number, name: string, headerOf: CsvHeaderFinder | undefined): never {
  const lineStart = Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1)) + 1;
  const rest = text.slice(at).search(/[\r\n]/);
  const row = text.slice(lineStart, rest < 0 ? text.length : at + rest);
  const line = lineAt(text.slice(0, at));
  let header: CsvHeader | null = null;
  try {
    header = headerOf?.(text) ?? null;
  } catch {
    header = null; // a parser that cannot find its header in this text names no column
  }
  if (!header || line < header.line) {
    const from = Math.max(0, at - lineStart - NEAR);
    const near = `${from > 0 ? '…' : ''}${row.slice(from, at - lineStart + NEAR + 1)}${at - lineStart + NEAR + 1 < row.length ? '…' : ''}`;
    throw RefusedError.said('invalid_argument', phrase('csvBytes.strayNulLine', { name, byte, line, near: shownNuls(near) }));
  }
  const cells = splitCells(row, header.delimiter);
  let offset = 0;
  let column = 0;
  while (column < cells.length - 1 && offset + cells[column]!.length <= at - lineStart) offset += cells[column++]!.length + 1;
  const value = shownNuls(cells[column]!);
  const heading = line === header.line ? '' : (header.cells[column] ?? '').trim();
  throw RefusedError.said('invalid_argument', heading
    ? phrase('csvBytes.strayNul', { name, byte, line, column: heading, value })
    : phrase('csvBytes.strayNulAt', { name, byte, line, position: column + 1, value }));
}

/** How many characters either side of a NUL a refusal without a column shows. */
const NEAR = 20;

/** NULs as ␀, a run of more than three as [␀×count] (a block of padding inside a file printed hundreds of them). */
function shownNuls(s: string): string {
  return s.replace(/\u0000{4,}/g, (run) => `[\u2400×${run.length}]`).replace(/\u0000/g, '\u2400');
}

/** A line's cells as written (quotes kept), split at the delimiter outside double quotes. */
function splitCells(line: string, delimiter: string | null): string[] {
  if (delimiter === null) return [line];
  const cells: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (!quoted && line[i] === delimiter) {
      cells.push(line.slice(start, i));
      start = i + 1;
    }
  }
  cells.push(line.slice(start));
  return cells;
}

/** The line an offset falls on, counting CRLF, CR and LF each as one line break, as the CSV parsers do. */
function lineAt(before: string): number {
  return 1 + (before.match(/\r\n?|\n/g)?.length ?? 0);
}

/**
 * UTF-16 without a BOM: the NULs all fall on one parity of offsets (the high bytes of LE or BE code units) and fill at
 * least half of them (a Latin-script text's high bytes are nearly all 0). A stray NUL in UTF-8 text does not.
 */
function utf16Pattern(bytes: Uint8Array): boolean {
  const nuls = [0, 0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) nuls[i & 1]!++;
  const [even, odd] = nuls as [number, number];
  const onOne = even === 0 ? odd : odd === 0 ? even : 0;
  return onOne > 0 && onOne >= Math.floor(bytes.length / 2) / 2;
}
