import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** What one child run of the crash-safety test did before it was killed (or ended). */
export interface ChildRound {
  /** True when the test's SIGKILL ended it (false: it ran out of ops first, or crashed by itself). */
  killed: boolean;
  /** Ops that began (index into the ops list). */
  begun: number[];
  /** Ops the child saw commit (exit code 0), with their parsed --json result. */
  ok: Map<number, unknown>;
  /** Ops refused or failed, with the child's message. */
  failed: Map<number, string>;
  /** Milliseconds from `begin` to `ok` of each committed op (to aim later kills). */
  durations: number[];
  /** The child's own stderr (uncaught errors), for failure messages. */
  stderr: string;
  /** Whether the kill was sent (the child may have ended before). */
  killSent: boolean;
}

/** At most this many children at once: each start costs ~1 s of CPU, and the test machine has 2 cores. */
const MAX_CHILDREN = 2;
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CHILDREN) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * Starts the bundled child (test/unit/foundation/crash-writer.ts) on `dataDir` with `ops`, SIGKILLs it
 * `kill.afterMs` after op `kill.op` began (op 0 begins by opening the data folder), and returns what it
 * reported. The child writes each `ok` line only after the CLI call returned, so every `ok` op is committed.
 */
export interface ChildOptions {
  bundle: string;
  workDir: string;
  dataDir: string;
  ops: string[][];
  /** null: let it run to the end. */
  kill: { op: number; afterMs: number } | null;
  tag: string;
  /** Called once the child has opened the data folder as the app does at start-up, before any op. */
  onOpened?: () => void;
}

export function runChildAndKill(opts: ChildOptions): Promise<ChildRound> {
  return slot(() => runChild(opts));
}

function runChild(opts: ChildOptions): Promise<ChildRound> {
  const cfg = join(opts.workDir, `ops-${opts.tag}.json`);
  writeFileSync(cfg, JSON.stringify({ dataDir: opts.dataDir, ops: opts.ops }));
  const child = spawn(process.execPath, [opts.bundle, cfg], { stdio: ['pipe', 'ignore', 'pipe', 'pipe'], env: { ...process.env, FERROLAB_BACKEND: 'wasm' } });
  const round: ChildRound = { killed: false, begun: [], ok: new Map(), failed: new Map(), durations: [], stderr: '', killSent: false };
  const began = new Map<number, number>();
  let timer: NodeJS.Timeout | null = null;
  child.stdin!.on('error', () => {}); // killed before it read "go": nothing to do
  child.stderr!.on('data', (d: Buffer) => {
    round.stderr = (round.stderr + d.toString()).slice(-4000);
  });
  let buf = '';
  (child.stdio[3] as Readable).on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const line of lines) {
      const [word, n, ...rest] = line.split(' ');
      if (word === 'opened') {
        try {
          opts.onOpened?.();
        } finally {
          child.stdin!.end('go\n');
        }
      } else if (word === 'begin') {
        round.begun.push(Number(n));
        began.set(Number(n), Date.now());
        if (opts.kill && Number(n) === opts.kill.op) {
          timer = setTimeout(() => {
            round.killSent = child.kill('SIGKILL');
          }, opts.kill.afterMs);
        }
      } else if (word === 'ok') {
        const text = rest.join(' ');
        let value: unknown = text;
        try {
          value = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        round.ok.set(Number(n), value);
        round.durations.push(Date.now() - (began.get(Number(n)) ?? Date.now()));
      } else if (word === 'fail') round.failed.set(Number(n), rest.join(' '));
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      round.killed = signal === 'SIGKILL' && round.killSent;
      if (!round.killed && code !== 0) round.stderr += `\n(child exited with code ${code}, signal ${signal})`;
      resolve(round);
    });
  });
}
