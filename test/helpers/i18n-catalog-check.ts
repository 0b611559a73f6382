import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The checks behind the catalog tests (renderer and PDF report): the same keys in every language, no empty
 * value, the same {{variables}}, and every key used by the code and every used key present. Pure functions
 * over plain data, so the test can prove on a fixture that a missing or an unused key fails.
 */
export type Catalog = Record<string, unknown>;
/** catalogs[lang][namespace] */
export type Catalogs = Record<string, Record<string, Catalog>>;

/** Flattens nested keys to "a.b.c" → value. */
export function flatten(c: Catalog, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(c)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [kk, vv] of flatten(v as Catalog, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

export function variables(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]))].sort();
}

/** Problems of the catalogs against each other (the first language is the reference). */
export function catalogProblems(catalogs: Catalogs): string[] {
  const problems: string[] = [];
  const langs = Object.keys(catalogs);
  const ref = langs[0];
  const namespaces = new Set(langs.flatMap((l) => Object.keys(catalogs[l])));
  for (const ns of namespaces) {
    for (const l of langs) if (!catalogs[l][ns]) problems.push(`${l}: namespace "${ns}" is missing`);
    const flat = Object.fromEntries(langs.filter((l) => catalogs[l][ns]).map((l) => [l, flatten(catalogs[l][ns])]));
    const allKeys = new Set(Object.values(flat).flatMap((m) => [...m.keys()]));
    for (const key of allKeys) {
      for (const l of Object.keys(flat)) {
        const v = flat[l].get(key);
        if (v === undefined) problems.push(`${l}: ${ns}:${key} is missing`);
        else if (typeof v !== 'string') problems.push(`${l}: ${ns}:${key} is not text`);
        else if (!v.trim()) problems.push(`${l}: ${ns}:${key} is empty`);
      }
      const refText = flat[ref]?.get(key);
      if (typeof refText !== 'string') continue;
      const refVars = variables(refText).join(',');
      for (const l of Object.keys(flat)) {
        const v = flat[l].get(key);
        if (typeof v === 'string' && variables(v).join(',') !== refVars) problems.push(`${l}: ${ns}:${key} has variables {${variables(v).join(',')}}, ${ref} has {${refVars}}`);
      }
    }
  }
  return problems;
}

/** Keys the code uses against the keys the reference language has: [missing (used, not in the catalog), unused]. */
export function usageProblems(defined: Set<string>, used: Set<string>): { missing: string[]; unused: string[] } {
  return { missing: [...used].filter((k) => !defined.has(k)).sort(), unused: [...defined].filter((k) => !used.has(k)).sort() };
}

/** All "ns:key" of one language's catalogs; i18next's plural forms (key_one, key_other…) count as the key the code calls. */
export function definedKeys(perNamespace: Record<string, Catalog>): Set<string> {
  const out = new Set<string>();
  for (const [ns, c] of Object.entries(perNamespace)) for (const k of flatten(c).keys()) out.add(`${ns}:${k.replace(/_(zero|one|two|few|many|other)$/, '')}`);
  return out;
}

/** Literal keys of `fn('…')` calls in source text (template literals with ${…} are dynamic and skipped). */
export function literalKeys(source: string, fn = 't'): string[] {
  const re = new RegExp(`(?<![\\w.$])${fn}\\(\\s*(['"\`])((?:(?!\\1)[^\\\\$])+)\\1`, 'g');
  return [...source.matchAll(re)].map((m) => m[2]);
}

export function readCatalogDir(dir: string): Catalogs {
  const out: Catalogs = {};
  for (const lang of readdirSync(dir)) {
    const ld = join(dir, lang);
    if (!statSync(ld).isDirectory()) continue;
    out[lang] = {};
    for (const f of readdirSync(ld)) if (f.endsWith('.json')) out[lang][f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(ld, f), 'utf8')) as Catalog;
  }
  return out;
}

export function sourceFiles(dir: string, exts: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p, exts));
    else if (exts.test(e.name)) out.push(p);
  }
  return out;
}
