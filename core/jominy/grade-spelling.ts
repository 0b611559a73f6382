import { phrase, type Phrase } from '../api/phrase.js';

/**
 * Grade names that differ only in case, spaces or hyphens ("42CrMo4", "42CRMO4", "42 CrMo4"), typed by hand in plant
 * files. They stay separate grades as written — merging them would be a guess — but the import says so: each had
 * its own grade mean, and a by-grade split could train on one spelling and "hold out" the same steel under another.
 */
export function gradeSpellingVariants(samples: ReadonlyArray<{ grade: string | null; lineNo?: number | null }>): { line: number; phrase: Phrase }[] {
  const key = (g: string) => g.toLowerCase().replace(/[\s_-]+/g, '');
  const byKey = new Map<string, { names: string[]; secondLine: number | null }>();
  for (const s of samples) {
    if (s.grade === null || s.grade === '') continue;
    const k = key(s.grade);
    const entry = byKey.get(k) ?? { names: [], secondLine: null };
    byKey.set(k, entry);
    if (!entry.names.includes(s.grade)) {
      entry.names.push(s.grade);
      if (entry.names.length === 2) entry.secondLine = s.lineNo ?? 0;
    }
  }
  return [...byKey.values()]
    .filter((e) => e.names.length > 1)
    .map((e) => ({ line: e.secondLine ?? 0, phrase: phrase('jominyGradeSpelling.variants', { names: e.names.join(', ') }) }));
}
