import { fixed, type PhraseNumber } from '../../api/phrase.js';

/** A duration as a number and its unit (s, min, h) for a progress phrase, so each language writes its own decimal mark. */
export function durationParams(seconds: number): { time: PhraseNumber; unit: string } {
  if (seconds < 90) return { time: fixed(Math.round(seconds), 0), unit: 's' };
  return seconds < 5400 ? { time: fixed(seconds / 60, 1), unit: 'min' } : { time: fixed(seconds / 3600, 1), unit: 'h' };
}
