import type { ImageRecord } from '../../../../core/api/index.js';

/** How a section's rim was set, as the core stores it ('auto' | 'manual' | 'three-point' | 'synthetic'). */
export type RimSource = NonNullable<ImageRecord['circleSource']>;

/**
 * The catalog key that words each rim source ("Rim: set by hand", "Bordo: da 3 punti"), never the stored code.
 * A source this build does not know (a newer data folder) shows its code rather than nothing.
 */
export const RIM_SOURCE_KEY: Record<RimSource, string> = {
  auto: 'annotate:rim.source.auto',
  manual: 'annotate:rim.source.manual',
  'three-point': 'annotate:rim.source.threePoint',
  synthetic: 'annotate:rim.source.synthetic',
};

export function rimSourceKey(source: string): string | null {
  return (RIM_SOURCE_KEY as Record<string, string | undefined>)[source] ?? null;
}

/** The words for a rim source in the interface language (`tr` is the renderer's `t`); "not set" for none. */
export function rimWords(source: string | null | undefined, tr: (key: string) => string): string {
  if (source === null || source === undefined) return tr('annotate:rim.notSet');
  const key = rimSourceKey(source);
  return key ? tr(key) : source;
}
