import { appVersion } from '../config/version.js';
import type { CliCommand, OptionSpec } from './command.js';

/** The global options, accepted before or after the verb. */
export const GLOBAL_OPTIONS = {
  data: { type: 'string' },
  json: { type: 'boolean' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const satisfies OptionSpec;

const GLOBAL_LINES = [
  'Global options (before or after the verb):',
  '  --data DIR        data folder (else $FERROLAB_DATA, else the per-user folder)',
  '  --json            machine-readable output on stdout; errors as {"error":{code,message}}',
  '  --backend NAME    ML backend: auto|tensorflow-gpu|webgpu|tensorflow|wasm|cpu',
  '                    (auto never picks a software GPU such as llvmpipe; --backend webgpu does)',
  '  -h, --help        this help, or a verb\'s help: ferrolab VERB --help',
  '  -V, --version     print the version',
];

/** BILLET in a usage line: plants name billets by heat or cast number, so a number can be an id and a name at once. */
const BILLET_LINES = [
  'BILLET: a billet\'s name or id; id:N is always the billet with id N (a number that is one billet\'s id and',
  '        another\'s name is refused, naming both)',
];

export const EXIT_CODE_LINES = [
  'Exit codes:',
  '  0    done',
  '  1    the work failed (the message says why; details in logs/ferrolab.log in the data folder)',
  '  2    usage error: unknown verb or option, a missing or malformed argument',
  '  130  interrupted by Ctrl+C (a running job is cancelled first; Ctrl+C twice quits at once)',
];

/** `ferrolab --help`: every verb, the global options and the exit codes. */
export function topHelp(commands: CliCommand[]): string {
  return [
    `Ferrolab ${appVersion} — carbon segregation mapping and Jominy chemistry design`,
    '',
    'usage: ferrolab VERB [SUBVERB] [ARGS] [OPTIONS]',
    '',
    ...commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    ...BILLET_LINES,
    '',
    ...GLOBAL_LINES,
    '',
    ...EXIT_CODE_LINES,
  ].join('\n');
}

/** The value's placeholder as the usage line writes it (`--model ID`, `--paper A4|Letter`), else the name in capitals. */
function placeholder(usage: string, name: string): string {
  const m = new RegExp(`--${name.replace(/[-]/g, '\\-')}[ =]([^\\s\\[\\]()]+)`).exec(usage);
  return m && !m[1].startsWith('-') ? m[1] : name.toUpperCase().replace(/-/g, '_');
}

function optionLines(usage: string, options: OptionSpec): string[] {
  return Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${placeholder(usage, name)}` : ''}`;
    return `  ${flag}${o.multiple ? ' (repeatable)' : ''}`;
  });
}

/** `ferrolab VERB --help`: usage, summary and options of one verb. */
export function commandHelp(cmd: CliCommand): string {
  const own = cmd.options && Object.keys(cmd.options).length ? ['Options:', ...optionLines(cmd.usage, cmd.options), ''] : [];
  const billet = /\bBILLET\b/.test(cmd.usage) ? [...BILLET_LINES, ''] : [];
  return [`usage: ${cmd.usage}`, '', cmd.summary, '', ...own, ...billet, ...GLOBAL_LINES, '', ...EXIT_CODE_LINES].join('\n');
}

/** `ferrolab billet --help` where `billet` only starts verbs: the verbs under it. */
export function groupHelp(prefix: string[], cmds: CliCommand[]): string {
  return [
    `ferrolab ${prefix.join(' ')}: ${cmds.length} verbs (ferrolab ${prefix.join(' ')} SUBVERB --help for one)`,
    '',
    ...cmds.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
  ].join('\n');
}
