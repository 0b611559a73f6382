import type { ParseArgsConfig } from 'node:util';
import type { AppContext } from '../app/context.js';
import { parseStrictDecimal, parseStrictInteger } from '../api/strict-decimal.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliIo {
  json: boolean;
  /** Prints a human line (suppressed with --json). */
  say(line: string): void;
  /** Prints the machine result (JSON with --json, else `human(result)` or nothing). */
  result<T>(value: T, human?: (v: T) => string): void;
  /** Progress to stderr, so stdout stays parseable. */
  progress(line: string): void;
}

export interface CliCommand {
  /** Words after `ferrolab`, e.g. ['billet', 'import']. */
  path: string[];
  usage: string;
  summary: string;
  options?: OptionSpec;
  /** Commands that do not need the data folder open (e.g. `synth`). */
  noContext?: boolean;
  run(args: { positionals: string[]; values: Record<string, unknown>; ctx: AppContext | null; io: CliIo }): Promise<void>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function requireString(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v) throw new UsageError(`--${name} is required`);
  return v;
}

/**
 * A number the user typed on the command line, read by the one strict parser: "0x37", "1e-400", "0.",
 * "" and "12abc" are usage errors naming what was typed, never 55, 0 or 12. `what` names the flag or argument.
 */
export function strictNumber(text: string, what: string): number {
  const r = parseStrictDecimal(text);
  if (!r.ok) throw new UsageError(`${what}: "${text}" ${r.reason}`);
  return r.value;
}

/** A whole number typed on the command line (no fraction, exponent, hex or sign tricks), else a usage error. */
export function strictInteger(text: string, what: string): number {
  const r = parseStrictInteger(text);
  if (!r.ok) throw new UsageError(`${what}: "${text}" ${r.reason}`);
  return r.value;
}

export function intOption(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const v = values[name];
  if (v === undefined) return fallback;
  const r = parseStrictInteger(String(v));
  if (!r.ok) throw new UsageError(`--${name} must be an integer, got "${String(v)}" (${r.reason})`);
  return r.value;
}

/** A required whole-number option: intOption's reading, and a usage error naming the flag when it is absent. */
export function requireInt(values: Record<string, unknown>, name: string): number {
  const v = intOption(values, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

export function numberOption(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const v = values[name];
  if (v === undefined) return fallback;
  const r = parseStrictDecimal(String(v));
  if (!r.ok) throw new UsageError(`--${name} must be a number, got "${String(v)}" (${r.reason})`);
  return r.value;
}
