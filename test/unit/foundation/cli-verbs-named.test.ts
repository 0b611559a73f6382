import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../core/cli/commands/index.js';

/**
 * Words the user reads send them to `ferrolab <verb> [subverb]`; a verb that does not exist is a dead end
 * (a PDF told every user to run `ferrolab pores detect`, which the CLI refuses as an unknown verb). Every
 * `ferrolab …` named in the phrase catalogs (core/api/i18n), the report's catalogs and words (core/report) and the
 * renderer's catalogs (renderer/src/i18n) must be a verb, or a verb group, of the CLI's one command table.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const SOURCES = [join(root, 'core', 'api', 'i18n'), join(root, 'core', 'report'), join(root, 'renderer', 'src', 'i18n')];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(json|ts)$/.test(n) ? [p] : [];
  });
}

/** Every `ferrolab` named in a text, as the words (verbs) that follow it. */
function namedVerbs(text: string): string[][] {
  return [...text.matchAll(/\bferrolab((?:\s+[a-z][a-z0-9-]*)+)/g)].map((m) => m[1].trim().split(/\s+/));
}

/** Why the words after `ferrolab` are no command (null: they are one, or name a verb group such as `reproduce`). */
function verbProblem(words: string[], paths: string[][]): string | null {
  // the longest command path the words start with: `billet pores BILLET` is `billet pores` and its argument
  const full = paths.filter((p) => p.every((w, i) => words[i] === w));
  if (full.length) return null;
  // a group alone (`ferrolab reproduce … --lang`): its first word starts commands and no second word follows
  if (words.length === 1 && paths.some((p) => p[0] === words[0])) return null;
  return `no command "ferrolab ${words.join(' ')}"`;
}

describe('every `ferrolab` verb named in the words users read exists', () => {
  const paths = commands.map((c) => c.path);

  it('tells a wrong verb from a right one (the check itself)', () => {
    expect(verbProblem(['pores', 'detect'], paths)).toBe('no command "ferrolab pores detect"');
    expect(verbProblem(['billet', 'pores', 'BILLET'], paths)).toBeNull();
    expect(verbProblem(['billet', 'prune'], paths)).toBe('no command "ferrolab billet prune"');
    expect(verbProblem(['reproduce'], paths)).toBeNull();
    expect(verbProblem(['map'], paths)).toBeNull();
    expect(namedVerbs('or `ferrolab pores detect`)')).toEqual([['pores', 'detect']]);
  });

  it('in the phrase, report and renderer catalogs and the report words', () => {
    const problems: string[] = [];
    let named = 0;
    for (const dir of SOURCES)
      for (const f of files(dir))
        for (const words of namedVerbs(readFileSync(f, 'utf8'))) {
          named++;
          const p = verbProblem(words, paths);
          if (p) problems.push(`${relative(root, f)}: ${p}`);
        }
    expect(problems).toEqual([]);
    // the scan reads what it should: the catalogs name at least the pore search, patches attach and propose-points
    expect(named).toBeGreaterThanOrEqual(12);
  });
});
