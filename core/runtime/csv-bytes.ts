/**
 * The bytes of a CSV a lab hands over, as text: UTF-16 with a BOM (Excel's "Unicode text"), UTF-8 (BOM stripped), else
 * Windows-1252, which old analyser and plant PCs write. Every CSV import reads its file through here, so a file that
 * imports as readings imports as Jominy heats too (read as UTF-8 whatever its bytes, "Stahl Ö" in Windows-1252 had
 * become "Stahl \uFFFD", one grade with "Stahl Ü", and a UTF-16 file was refused column by column).
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // not UTF-8: the documented fallback for old analyzer PCs, not an error
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}
