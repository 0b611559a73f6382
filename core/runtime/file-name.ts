/**
 * The one way a user-given name (billet, model, session, point label) becomes part of a file name Ferrolab
 * writes: letters of any script, digits, `_`, `.` and `-` stay (a Chinese billet name stays readable); every
 * other run of characters — slashes, spaces, punctuation — becomes one separator; accents are dropped to their
 * base letter (NFKD), so "Coulée 7" reads "Coulee_7" on every file system.
 */
export function safeFileName(name: string, opts: { sep?: '_' | '-'; maxLength?: number; fallback?: string } = {}): string {
  const sep = opts.sep ?? '_';
  const cleaned = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_.-]+/gu, sep)
    .replace(sep === '_' ? /^_+|_+$/g : /^-+|-+$/g, '')
    .slice(0, opts.maxLength ?? 60);
  return cleaned || (opts.fallback ?? 'file');
}
