import { parseArgs } from 'node:util';
import { createAppContext, type AppContext } from '../app/context.js';
import { resolveDataDir } from '../config/data-dir.js';
import { appVersion } from '../config/version.js';
import { ApiError } from '../api/errors.js';
import { BackendPreference } from '../api/methods/system.js';
import { commands } from './commands/index.js';
import { UsageError, type CliCommand, type CliIo } from './command.js';

const GLOBAL = {
  data: { type: 'string' },
  json: { type: 'boolean' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function help(): string {
  return [
    `Ferrolab ${appVersion} — carbon segregation mapping and Jominy chemistry design`,
    '',
    'Global options: --data DIR (else FERROLAB_DATA, else the per-user folder), --json, --backend auto|tensorflow-gpu|tensorflow|wasm|cpu',
    '',
    ...commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
  ].join('\n');
}

function findCommand(words: string[]): { cmd: CliCommand; rest: string[] } | null {
  let best: CliCommand | null = null;
  for (const c of commands) {
    if (c.path.every((w, i) => words[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { cmd: best, rest: words.slice(best.path.length) } : null;
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

export async function main(argv: string[]): Promise<number> {
  const firstOption = argv.findIndex((a) => a.startsWith('-'));
  const words = firstOption === -1 ? argv : argv.slice(0, firstOption);
  const found = findCommand(words);
  if (!found || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help() + '\n');
    return found || argv.length === 0 || argv.includes('--help') || argv.includes('-h') ? 0 : 2;
  }
  const { cmd } = found;
  let ctx: AppContext | null = null;
  let json = argv.includes('--json');
  try {
    const parsed = parseArgs({
      args: argv.slice(cmd.path.length),
      options: { ...GLOBAL, ...(cmd.options ?? {}) },
      allowPositionals: true,
      strict: true,
    });
    const values = parsed.values as Record<string, unknown>;
    json = Boolean(values.json);
    let backend: BackendPreference | undefined;
    if (values.backend !== undefined) {
      const b = BackendPreference.safeParse(values.backend);
      if (!b.success) throw new UsageError(`--backend must be one of ${BackendPreference.options.join(', ')}`);
      backend = b.data;
    }
    if (!cmd.noContext) ctx = createAppContext({ dataDir: resolveDataDir(values.data as string | undefined), shell: 'cli', backend });
    await cmd.run({ positionals: parsed.positionals, values, ctx, io: makeIo(json) });
    return 0;
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = err instanceof Error ? err.message : String(err);
    if (json) process.stdout.write(JSON.stringify({ error: err instanceof ApiError ? err.toBody() : { code: usage ? 'usage' : 'error', message } }) + '\n');
    else process.stderr.write(`ferrolab: ${message}${usage ? `\nusage: ${cmd.usage}` : ''}\n`);
    return usage ? 2 : 1;
  } finally {
    if (ctx) await ctx.close();
  }
}
