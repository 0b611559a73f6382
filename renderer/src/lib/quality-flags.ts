/**
 * A patch's image-quality flags (core/imaging/quality.ts: 'low-rms-contrast' | 'low-glcm-contrast' | 'low-entropy')
 * said in words of the interface language, never as the stored code. A flag this build does not know (a newer
 * core) is shown as its code rather than dropped. Kept free of Svelte: `tr` is the renderer's `t`.
 */
export const QUALITY_FLAG_KEY: Record<string, string> = {
  'low-rms-contrast': 'viewer:quality.lowRmsContrast',
  'low-glcm-contrast': 'viewer:quality.lowGlcmContrast',
  'low-entropy': 'viewer:quality.lowEntropy',
};

export function qualityFlagWords(flags: readonly string[], tr: (key: string) => string): string {
  return flags.map((f) => (QUALITY_FLAG_KEY[f] ? tr(QUALITY_FLAG_KEY[f]) : f)).join('; ');
}
