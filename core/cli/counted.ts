/**
 * A count with its noun in the right number for the CLI's English text ("1 cell", "3 cells"): the CLI prints counts
 * it cannot know in advance, and "1 cells masked" reads as a slip.
 */
export function counted(n: number, one: string, other = `${one}s`): string {
  return `${n} ${n === 1 ? one : other}`;
}
