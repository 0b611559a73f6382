import { appendFileSync, closeSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The one logger: JSON lines appended to `logs/ferrolab.log` in the data folder, for the CLI, browser mode and
 * the Electron shell alike (the shell builds its AppContext on the same folder). Synchronous appends keep no
 * handle open, so nothing needs closing and a line is on disk before a crash. The file is capped: past
 * `maxBytes` it becomes `ferrolab.log.1` (replacing the previous one) and a new file starts.
 *
 * Worker threads and child processes find the file through FERROLAB_LOG_FILE, which `useLogFile` sets
 * (a worker copies the parent's environment when it starts). With no file set, lines are kept only in memory.
 */

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export const LOG_ENV = 'FERROLAB_LOG_FILE';
export const DEFAULT_MAX_LOG_BYTES = 2 * 1024 * 1024;
const RECENT_KEPT = 200;

let maxBytes = DEFAULT_MAX_LOG_BYTES;
let reportedWriteFailure = false;
const recent: string[] = [];

/** Where the log of a data folder lives. */
export function logFileIn(dataDir: string): string {
  return join(dataDir, 'logs', 'ferrolab.log');
}

/** Sends this process's log (and that of workers started after this call) to `file`. */
export function useLogFile(file: string, opts: { maxBytes?: number } = {}): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (err) {
    // the first write says so on stderr; the app must still open without its log
    recent.push(serialise('warn', 'log', 'cannot create the log folder', { file, err }));
  }
  process.env[LOG_ENV] = file;
  maxBytes = opts.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
}

/** The file this process logs to, or null when none was set. */
export function currentLogFile(): string | null {
  return process.env[LOG_ENV] || null;
}

function errorFields(err: unknown): unknown {
  if (!(err instanceof Error)) return err === undefined ? undefined : String(err);
  const code = (err as { code?: unknown }).code;
  return {
    name: err.name,
    message: err.message,
    ...(code !== undefined ? { code } : {}),
    stack: err.stack?.split('\n').slice(1, 6).map((l) => l.trim()),
  };
}

function serialise(level: LogLevel, scope: string, msg: string, fields: LogFields): string {
  const out: Record<string, unknown> = { t: new Date().toISOString(), level, scope, msg, pid: process.pid };
  for (const [k, v] of Object.entries(fields)) out[k] = k === 'err' || v instanceof Error ? errorFields(v) : v;
  try {
    return JSON.stringify(out);
  } catch {
    // a field that cannot be serialised (a cycle, a BigInt) must not lose the line itself
    return JSON.stringify({ ...out, ...Object.fromEntries(Object.keys(fields).map((k) => [k, String(fields[k])])) });
  }
}

function append(file: string, line: string): void {
  try {
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      // no file yet: this line starts it
    }
    if (size > 0 && size + line.length + 1 > maxBytes) renameSync(file, `${file}.1`);
    appendFileSync(file, line + '\n');
  } catch (err) {
    // A log that cannot be written (disk full, read-only folder) must not break the work it reports on;
    // say so once, on stderr, and keep the lines in memory for diagnostics.
    if (!reportedWriteFailure) process.stderr.write(`ferrolab: cannot write the log ${file}: ${(err as Error).message}\n`);
    reportedWriteFailure = true;
  }
}

export function writeLog(level: LogLevel, scope: string, msg: string, fields: LogFields = {}): void {
  const line = serialise(level, scope, msg, fields);
  recent.push(line);
  if (recent.length > RECENT_KEPT) recent.splice(0, recent.length - RECENT_KEPT);
  const file = currentLogFile();
  if (file) append(file, line);
}

/** `scope` names the part of Ferrolab writing (e.g. "maps", "cli"); fields carry ids and the error as `err`. */
export const log = {
  info: (scope: string, msg: string, fields?: LogFields) => writeLog('info', scope, msg, fields),
  warn: (scope: string, msg: string, fields?: LogFields) => writeLog('warn', scope, msg, fields),
  error: (scope: string, msg: string, fields?: LogFields) => writeLog('error', scope, msg, fields),
};

/** Lines this process logged most recently (also when no file is set), oldest first. */
export function recentInMemory(n: number): string[] {
  return recent.slice(-n);
}

/** Reads at most the last `maxRead` bytes of a file as whole lines (the first partial line is dropped). */
function tailLines(file: string, maxRead: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return []; // no such file: nothing was logged there yet
  }
  try {
    const size = statSync(file).size;
    const start = Math.max(0, size - maxRead);
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    const lines = buf.toString('utf8').split('\n').filter(Boolean);
    return start > 0 ? lines.slice(1) : lines;
  } finally {
    closeSync(fd);
  }
}

/** The last `n` lines of a log file, reaching into the rotated `.1` file when the current one is short. */
export function readLogTail(file: string, n: number): string[] {
  const maxRead = Math.max(64 * 1024, n * 2048);
  const current = tailLines(file, maxRead);
  if (current.length >= n) return current.slice(-n);
  return [...tailLines(`${file}.1`, maxRead), ...current].slice(-n);
}
