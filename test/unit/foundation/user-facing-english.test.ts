import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A ratchet (issue 15): no NEW error, job label or job message that reaches a user in English only. The services,
 * the app and the job manager answer users; every error they make is `ApiError.said(code, phrase(…))` (or
 * `RefusedError.said`), every job is started with a phrase label, every progress message is a phrase. What is left
 * is listed below, each with why it may stay; an entry that no longer matches anything fails too, so the list only
 * shrinks. Adding to it needs a reason a reviewer accepts (a bug that users should never see: 'internal').
 */
const root = join(import.meta.dirname, '..', '..', '..');

interface Allowed {
  file: string;
  /** A piece of the offending line. */
  contains: string;
  why: string;
}

const ALLOWED: Allowed[] = [
  {
    file: 'core/app/dispatch.ts',
    contains: "new ApiError('internal', `internal error:",
    why: 'a handler answered what its own contract refuses: a bug, logged; not worded for users',
  },
  {
    file: 'core/services/jominy/design.ts',
    contains: "new ApiError('internal', `design result",
    why: 'a design result outside its grade is a bug (the GA clamps to the box), never stored',
  },
  {
    file: 'core/services/shared/image-errors.ts',
    contains: 'new ApiError(err.code, err.message, { field: err.field, details: err.details, phrase: err.phrase })',
    why: "passes an imaging refusal on with the phrase it was said with (RefusedError.said)",
  },
  {
    file: 'core/services/jominy/errors.ts',
    contains: "new ApiError('invalid_argument', err.message, { details: err.issues, phrase: err.phrase })",
    why: "a Jominy CSV's refusal: its headline phrase and each issue's phrase travel with it",
  },
  {
    file: 'core/services/readings/index.ts',
    contains: "new ApiError('invalid_argument', `${a.name}: ${err.message}`, { details })",
    why: "the fallback for a readings CSV format error whose phrase has no file-level sentence (each one thrown today has one: fileRefusal)",
  },
  {
    file: 'core/services/sampling/index.ts',
    contains: "new ApiError('invalid_argument', err.message, { phrase:",
    why: "a layout's refusal with the phrase the layout module said it with",
  },
];

/** The TypeScript files of a folder of core/, as repo-relative paths. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f.split('\\').join('/')}`);
}

/** Lines of `files` matching `re`, comments skipped. */
function offending(files: string[], re: RegExp): { file: string; line: number; text: string }[] {
  const out: { file: string; line: number; text: string }[] = [];
  for (const file of files) {
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const t = text.trim();
        if (t.startsWith('//') || t.startsWith('*') || t.startsWith('/*')) return;
        if (re.test(text)) out.push({ file, line: i + 1, text: t });
      });
  }
  return out;
}

const answering = [...sources('core/services'), ...sources('core/app'), ...sources('core/jobs')];
const allowed = (o: { file: string; text: string }) => ALLOWED.some((a) => a.file === o.file && o.text.includes(a.contains));

describe('errors, job labels and job messages that reach users are phrases', () => {
  it('no ApiError, Error or RefusedError made from English text in the services, the app and the jobs (beyond the list)', () => {
    // `new ApiError(` (not `.said`), `throw new Error(`, `new RefusedError(` (not `.said`)
    const found = offending(answering, /new ApiError\(|throw new Error\(|new RefusedError\(/);
    expect(found.length).toBeGreaterThan(0); // the scan reads the files (the list's entries are among them)
    expect(found.filter((o) => !allowed(o)).map((o) => `${o.file}:${o.line}: ${o.text}`)).toEqual([]);
  });

  it('every entry of the list still matches a line (convert one and remove it here)', () => {
    const found = offending(answering, /new ApiError\(|throw new Error\(|new RefusedError\(/);
    const stale = ALLOWED.filter((a) => !found.some((o) => o.file === a.file && o.text.includes(a.contains)));
    expect(stale.map((a) => `${a.file}: ${a.contains}`)).toEqual([]);
  });

  it('every job is started with a label phrase, never an English string', () => {
    // ctx.jobs.start(kind, label, run) / jobs.start(…): the label must not be a string literal or template
    const literal = offending(answering, /jobs\.start\(\s*'[^']*',\s*[`'"]/);
    expect(literal.map((o) => `${o.file}:${o.line}: ${o.text}`)).toEqual([]);
    // and where the label is a variable, it is one made by phrase(…) in the same file
    for (const o of offending(answering, /jobs\.start\(\s*'[^']*',\s*[A-Za-z_]/)) {
      const name = /jobs\.start\(\s*'[^']*',\s*([A-Za-z_][\w]*)/.exec(o.text)![1];
      if (name === 'phrase' || /,\s*[^,]*\?\s*phrase\(/.test(o.text)) continue; // phrase(…) at the call, or a choice of two
      const text = readFileSync(join(root, o.file), 'utf8');
      const madeByPhrase = new RegExp(`(const|let)\\s+${name}\\b[^;]*phrase\\(|function\\s+${name}\\([^)]*\\)\\s*:\\s*Phrase`).test(text.replace(/\n\s*/g, ' '));
      expect(madeByPhrase, `${o.file}:${o.line}: the label ${name} is not made by phrase(…)`).toBe(true);
    }
  });

  it('no progress message is an English literal', () => {
    const found = offending(answering, /\.progress\([^,()]+(\([^)]*\))?[^,()]*,\s*[`'"]/);
    expect(found.map((o) => `${o.file}:${o.line}: ${o.text}`)).toEqual([]);
  });

  it('the GPU, model-file and backend failures are said (core/ml): no English-only Error there', () => {
    const files = ['core/ml/webgpu-backend.ts', 'core/ml/webgpu-limits.ts', 'core/ml/model-io.ts', 'core/ml/backend.ts'];
    const found = offending(files, /new Error\(/).filter((o) => !o.text.includes("'model could not be serialised'")); // a tfjs save that wrote nothing: a bug
    expect(found.map((o) => `${o.file}:${o.line}: ${o.text}`)).toEqual([]);
  });
});
