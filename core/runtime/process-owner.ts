import { readFileSync } from 'node:fs';

/**
 * Who runs a long job (a training run, a design session): the process id plus, where the OS tells it, the
 * process's start time. A row marked `running` stays so while its owner lives; when a data folder is opened,
 * rows whose owner is gone are marked `interrupted` (core/app/interrupted-work.ts).
 *
 * Why an owner and not simply "everything running at open is dead": two Ferrolab processes may share one data
 * folder (the CLI next to the app, browser mode next to Electron, several contexts in one test process). A run
 * another live process is training must not be marked when this one opens the folder. The pid alone is not
 * enough: pids are reused (after a reboot, or in a container where the app is always pid 1), so on Linux the
 * process's start time since boot plus the boot id make the identity exact. Elsewhere (Windows, macOS) only the
 * pid is known: a recycled pid then keeps a dead run `running` until that unrelated process exits, which errs
 * on the side of never marking a live run.
 */
export interface ProcessOwner {
  pid: number | null;
  /** `<boot id>:<start time in clock ticks>` on Linux; null where the OS does not tell it. */
  startTag: string | null;
}

let bootId: string | null | undefined;
function linuxBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/** The start tag of a live process, or null (not Linux, no such process, or /proc unreadable). */
export function processStartTag(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name) is in parentheses and may hold spaces or ')': count fields after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = rest[22 - 3];
    const boot = linuxBootId();
    return startTicks && boot ? `${boot}:${startTicks}` : null;
  } catch {
    return null;
  }
}

let self: ProcessOwner | null = null;
/** This process, as stored in the owner columns of the rows it starts. */
export function thisProcess(): ProcessOwner {
  self ??= { pid: process.pid, startTag: processStartTag(process.pid) };
  return self;
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process that wrote `owner` still runs. No pid (rows from before owners were recorded) means
 * gone: any Ferrolab that can open this schema records its pid.
 */
export function isOwnerAlive(owner: ProcessOwner): boolean {
  if (owner.pid === null) return false;
  const me = thisProcess();
  if (owner.pid === me.pid) return owner.startTag === null || me.startTag === null || owner.startTag === me.startTag;
  if (!processAlive(owner.pid)) return false;
  // it exists (perhaps under another user): alive unless its start time says the pid was reused
  if (owner.startTag === null) return true;
  const now = processStartTag(owner.pid);
  return now === null || now === owner.startTag;
}
