import { parseArgs } from 'node:util';
import { createAppContext, type AppContext } from '../app/context.js';
import { resolveDataDir } from '../config/data-dir.js';
import { appVersion } from '../config/version.js';
import { ApiError, toErrorBody } from '../api/errors.js';
import { RefusedError } from '../runtime/refused.js';
import { BackendPreference } from '../api/methods/system.js';
import { log } from '../runtime/log.js';
import { commands } from './commands/index.js';
import { UsageError, type CliCommand, type CliIo } from './command.js';
import { GLOBAL_OPTIONS, commandHelp, groupHelp, topHelp } from './help.js';
import { INTERRUPTED_EXIT_CODE, installInterruptHandler, wasInterrupted } from './interrupt.js';

/** Global options that take a value: their value is never a verb word. */
const VALUED_GLOBALS = new Set(['--data', '--backend']);
const FLAG_GLOBALS = new Set(['--json', '--help', '-h', '--version', '-V']);

/**
 * The verb words and where they stand: leading non-option words, stepping over global options (and the
 * value of --data/--backend) so those may come before the verb. A verb's own option ends the search.
 */
function locateVerb(argv: string[]): { words: string[]; at: number[] } {
  const words: string[] = [];
  const at: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (VALUED_GLOBALS.has(a)) i++;
    else if (FLAG_GLOBALS.has(a) || [...VALUED_GLOBALS].some((g) => a.startsWith(`${g}=`))) continue;
    else if (a.startsWith('-')) break;
    else {
      words.push(a);
      at.push(i);
    }
  }
  return { words, at };
}

function findCommand(words: string[]): CliCommand | null {
  let best: CliCommand | null = null;
  for (const c of commands) {
    if (c.path.every((w, i) => words[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best;
}

function makeIo(json: boolean): CliIo {
  return {
    json,
    say: (line) => {
      if (!json) process.stdout.write(line + '\n');
    },
    result: (value, human) => {
      if (json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
      else if (human) process.stdout.write(human(value) + '\n');
    },
    progress: (line) => {
      process.stderr.write(line + '\n');
    },
  };
}

function reportError(json: boolean, code: string, message: string, hint?: string): void {
  if (json) process.stdout.write(JSON.stringify({ error: { code, message } }) + '\n');
  else process.stderr.write(`ferrolab: ${message}${hint ? `\n${hint}` : ''}\n`);
}

/** Runs one CLI invocation; returns the exit code: 0 done, 1 failed, 2 usage error, 130 Ctrl+C. */
export async function main(argv: string[]): Promise<number> {
  const options = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length);
  const wantsHelp = options.includes('--help') || options.includes('-h');
  const json = options.includes('--json');
  if (options.includes('--version') || options.includes('-V')) {
    process.stdout.write(json ? JSON.stringify({ version: appVersion }) + '\n' : `ferrolab ${appVersion}\n`);
    return 0;
  }
  const { words, at } = locateVerb(argv);
  const cmd = findCommand(words);
  if (!cmd) {
    const group = words.length ? commands.filter((c) => c.path[0] === words[0] && words.every((w, i) => c.path[i] === undefined || c.path[i] === w)) : [];
    if (words.length === 0) {
      process.stdout.write(topHelp(commands) + '\n');
      return argv.length === 0 || wantsHelp ? 0 : 2;
    }
    if (group.length && words.length === 1) {
      if (wantsHelp) {
        process.stdout.write(groupHelp(words.slice(0, 1), group) + '\n');
        return 0;
      }
      reportError(json, 'usage', `"${words[0]}" needs a subverb`, groupHelp(words.slice(0, 1), group));
      return 2;
    }
    reportError(json, 'usage', `unknown verb "${words.join(' ')}"`, 'Run `ferrolab --help` for the list of verbs.');
    return 2;
  }
  if (wantsHelp) {
    process.stdout.write(commandHelp(cmd) + '\n');
    return 0;
  }
  const pathAt = new Set(at.slice(0, cmd.path.length));
  let ctx: AppContext | null = null;
  let asJson = json;
  const removeInterruptHandler = installInterruptHandler();
  try {
    const parsed = parseArgs({
      args: argv.filter((_, i) => !pathAt.has(i)),
      options: { ...GLOBAL_OPTIONS, ...(cmd.options ?? {}) },
      allowPositionals: true,
      strict: true,
    });
    const values = parsed.values as Record<string, unknown>;
    asJson = Boolean(values.json);
    let backend: BackendPreference | undefined;
    if (values.backend !== undefined) {
      const b = BackendPreference.safeParse(values.backend);
      if (!b.success) throw new UsageError(`--backend must be one of ${BackendPreference.options.join(', ')} (got "${String(values.backend)}")`);
      backend = b.data;
    }
    if (!cmd.noContext) ctx = createAppContext({ dataDir: resolveDataDir(values.data as string | undefined), shell: 'cli', backend });
    await cmd.run({ positionals: parsed.positionals, values, ctx, io: makeIo(asJson) });
    if (wasInterrupted()) {
      reportError(asJson, 'cancelled', 'interrupted');
      return INTERRUPTED_EXIT_CODE;
    }
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (wasInterrupted()) {
      reportError(asJson, 'cancelled', `interrupted: ${message}`);
      return INTERRUPTED_EXIT_CODE;
    }
    const usage = err instanceof UsageError || Boolean((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));
    if (usage) {
      reportError(asJson, 'usage', message, `usage: ${cmd.usage}\n(ferrolab ${cmd.path.join(' ')} --help for its options)`);
      return 2;
    }
    const known = err instanceof ApiError || err instanceof RefusedError ? toErrorBody(err) : null;
    log.error('cli', 'command failed', { command: cmd.path.join(' '), code: known?.code, err });
    if (asJson) process.stdout.write(JSON.stringify({ error: known ?? { code: 'error', message } }) + '\n');
    else process.stderr.write(`ferrolab: ${message}\n`);
    return 1;
  } finally {
    removeInterruptHandler();
    if (ctx) await ctx.close();
  }
}
