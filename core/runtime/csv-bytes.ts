import { phrase } from '../api/phrase.js';
import { RefusedError } from './refused.js';

/**
 * The bytes of a CSV a lab hands over, as text: UTF-16 with a BOM (Excel's "Unicode text"), UTF-8 (BOM stripped), else
 * Windows-1252, which old analyser and plant PCs write. Every CSV import reads its file through here, so a file that
 * imports as readings imports as Jominy heats too (read as UTF-8 whatever its bytes, "Stahl Ö" in Windows-1252 had
 * become "Stahl \uFFFD", one grade with "Stahl Ü", and a UTF-16 file was refused column by column).
 *
 * Bytes that are no CSV are refused by `name` before they are read as text: a workbook (.xlsx/.ods are zip files,
 * .xls an OLE file), and a NUL byte, which no text file holds but UTF-16 without its BOM has in every other byte
 * (read as text, its labels became " P 0 1 " and every line was refused as something it is not). NULs at the very end
 * (instrument and PLC exports pad to a fixed block size) are dropped, whether or not the last line ends with a line
 * break: a PLC writes its last line without one as often as with. A last line cut short is the importers' to judge, as
 * in a file without padding (a last value shorter than every other row's, no final break: refused as cut short). A NUL
 * inside the text that is not UTF-16's pattern is refused by its byte, line, column and value.
 */
export function decodeCsvBytes(bytes: Uint8Array, name = 'the file'): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16Text(bytes, 'utf-16le', name);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16Text(bytes, 'utf-16be', name);
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x50, 0x4b, 0x03, 0x04]) || starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    throw RefusedError.said('invalid_argument', phrase('csvBytes.workbook', { name }));
  // NUL padding after the text (a PLC or instrument writing a fixed-size buffer) is no part of it
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  bytes = bytes.subarray(0, end);
  const nul = bytes.indexOf(0);
  if (nul >= 0 && utf16Pattern(bytes)) throw RefusedError.said('invalid_argument', phrase('csvBytes.nul', { name, byte: nul + 1 }));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // not UTF-8: the documented fallback for old analyzer PCs, not an error
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  text = text.replace(/^\uFEFF/, '');
  // a NUL byte is U+0000 in both encodings, and the first one is the first byte 0
  if (nul >= 0) refuseStrayNul(text, text.indexOf('\u0000'), nul + 1, name);
  return text;
}

/**
 * UTF-16 with its BOM, padded or not: the padding is stripped in code units after decoding (stripped as bytes before,
 * it had become a row of U+0000 and a misleading refusal); a U+0000 inside the text is refused as in a UTF-8 file.
 */
function utf16Text(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', name: string): string {
  let body = bytes.subarray(2);
  // an odd count of padding bytes leaves one NUL that is no code unit
  if (body.length % 2 === 1 && body[body.length - 1] === 0) body = body.subarray(0, body.length - 1);
  const text = new TextDecoder(encoding).decode(body).replace(/\u0000+$/, '');
  const nul = text.indexOf('\u0000');
  if (nul >= 0) refuseStrayNul(text, nul, 2 + 2 * nul + 1, name);
  return text;
}

/**
 * A NUL inside the text, named as every refused cell is: its line (CR, CRLF and LF each end one, as the parsers count),
 * its column (the header's name for it, else its position; the delimiter is the header's most frequent of tab, `;`
 * and `,`, outside quotes) and the cell as written, the NUL shown as ␀.
 */
function refuseStrayNul(text: string, at: number, byte: number, name: string): never {
  const lineStart = Math.max(text.lastIndexOf('\n', at - 1), text.lastIndexOf('\r', at - 1)) + 1;
  const rest = text.slice(at).search(/[\r\n]/);
  const row = text.slice(lineStart, rest < 0 ? text.length : at + rest);
  // the header: the first line that is no comment (`# distance-unit: mm` above a Jominy header) and not blank
  let header = '';
  let headerStart = -1;
  for (const m of text.matchAll(/[^\r\n]+/g)) {
    const t = m[0].trim();
    if (t.startsWith('#') || /^[,;\t\s]*$/.test(t)) continue;
    [header, headerStart] = [m[0], m.index];
    break;
  }
  const delimiter = headerDelimiter(header);
  const cells = splitCells(row, delimiter);
  let offset = 0;
  let column = 0;
  while (column < cells.length - 1 && offset + cells[column]!.length <= at - lineStart) offset += cells[column++]!.length + 1;
  const value = cells[column]!.replace(/\u0000/g, '\u2400');
  const heading = lineStart <= headerStart ? '' : (splitCells(header, delimiter)[column] ?? '').trim().replace(/^"(.*)"$/, '$1');
  const line = lineAt(text.slice(0, at));
  throw RefusedError.said('invalid_argument', heading
    ? phrase('csvBytes.strayNul', { name, byte, line, column: heading, value })
    : phrase('csvBytes.strayNulAt', { name, byte, line, position: column + 1, value }));
}

/** The header's delimiter: the most frequent of tab, `;` and `,` outside quotes (tab first on a tie, then `;`). */
function headerDelimiter(header: string): string | null {
  let best: string | null = null;
  let most = 0;
  for (const d of ['\t', ';', ',']) {
    const n = splitCells(header, d).length - 1;
    if (n > most) [best, most] = [d, n];
  }
  return best;
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
