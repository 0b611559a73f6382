/**
 * Italian articles before a number written in digits. A catalog writes "dei {{n}} punti", but the article follows how
 * the number is read: "degli 85" (ottantacinque), "degli 8", "degli 11", "l'80 %" — a vowel takes gli/l', whatever the
 * digits. The catalogs cannot know the number, so every Italian translation passes through `italianArticles` after
 * its numbers are in (an i18next post-processor in the renderer and the report, core/report/report-i18n.ts).
 * Pure: the renderer runs it too.
 */

/**
 * Whether the Italian reading of a whole number starts with a vowel: 8 otto, 11 undici, 80–89 ottanta…, 800–899
 * ottocento…, and their thousands (8000 ottomila, 11 000 undicimila, 80 000…); 1 uno only when `withOne` (a singular
 * article: "l'1 %"). 1000 is mille; a million and above are read with their own article and are left alone.
 */
export function readWithVowel(n: number, withOne = false): boolean {
  if (!Number.isInteger(n) || n < 0 || n >= 1_000_000) return false;
  if (n >= 1000) {
    const thousands = Math.floor(n / 1000);
    return thousands !== 1 && readWithVowel(thousands);
  }
  return (withOne && n === 1) || n === 8 || n === 11 || (n >= 80 && n <= 89) || (n >= 800 && n <= 899);
}

const PLURAL: Record<string, string> = { i: 'gli', dei: 'degli', ai: 'agli', dai: 'dagli', nei: 'negli', sui: 'sugli' };
const SINGULAR: Record<string, string> = { il: "l'", del: "dell'", al: "all'", dal: "dall'", nel: "nell'", sul: "sull'" };

// an article as a word (not the end of another: "poi 8"), a space, then a number: its whole part, with thousands
// grouped by "." or a (narrow) no-break space as Italian numbers are written
const ARTICLE_NUMBER = /(^|[^\p{L}'’])(i|dei|ai|dai|nei|sui|il|del|al|dal|nel|sul) (\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?![\d])|\d+)/giu;

/** The text with each plural/singular article before a number read with a vowel elided or changed (dei 85 → degli 85). */
export function italianArticles(text: string): string {
  return text.replace(ARTICLE_NUMBER, (all, before: string, article: string, digits: string) => {
    const lower = article.toLowerCase();
    const plural = lower in PLURAL;
    if (!readWithVowel(Number(digits.replace(/[.\u00a0\u202f]/g, '')), !plural)) return all;
    const replaced = plural ? PLURAL[lower] : SINGULAR[lower];
    const cased = article[0] === article[0].toUpperCase() ? replaced[0].toUpperCase() + replaced.slice(1) : replaced;
    return `${before}${cased}${plural ? ' ' : ''}${digits}`;
  });
}
