import { realpathSync, statSync } from 'node:fs';
import { join, posix, sep } from 'node:path';

/** What a request path resolves to: a real file inside the allowed folder, or a status to answer with. */
export type ServedPath = { ok: true; file: string } | { ok: false; status: 400 | 404; reason: string };

/**
 * The one guard between a URL path and the disk, shared by the browser-mode server and Electron's
 * app:// handler. `rawPath` is the path exactly as it came off the wire (still %-encoded, no query).
 *
 * Order matters: decode once (a malformed escape is the client's error: 400), refuse bytes no file name
 * of ours contains (NUL; backslash, which Windows reads as a separator; colon, a drive or stream there), normalise, check the first
 * segment against the allowed folders, and only then ask the file system: the real path (every
 * symlink resolved) must lie inside the real path of the allowed folder. A link inside images/ that
 * points at /etc/passwd, or at ../ferrolab.sqlite, resolves outside and is "not found". Nothing is
 * decoded twice, so `%252e%252e` stays the literal (absent) name `%2e%2e`.
 */
export function resolveServedPath(base: string, rawPath: string, allowedTop?: readonly string[]): ServedPath {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed %-escape in the path' };
  }
  if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'NUL byte in the path' };
  if (decoded.includes('\\')) return { ok: false, status: 400, reason: 'backslash in the path' };
  if (decoded.includes(':')) return { ok: false, status: 400, reason: 'colon in the path' }; // Windows drives and streams
  // Normalising against "/" clamps any ".." at the root, so the result never starts above it.
  const rel = posix.normalize(`/${decoded}`).replace(/^\/+/, '');
  const segments = rel.split('/').filter(Boolean);
  if (!segments.length) return { ok: false, status: 404, reason: 'not found' };
  let folder = base;
  if (allowedTop) {
    if (!allowedTop.includes(segments[0]) || segments.length < 2) return { ok: false, status: 404, reason: 'not found' };
    folder = join(base, segments[0]);
  }
  let realFolder: string;
  let realFile: string;
  try {
    realFolder = realpathSync(folder);
    realFile = realpathSync(join(base, ...segments));
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  if (!realFile.startsWith(realFolder + sep)) return { ok: false, status: 404, reason: 'not found' };
  try {
    if (!statSync(realFile).isFile()) return { ok: false, status: 404, reason: 'not found' };
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  return { ok: true, file: realFile };
}
