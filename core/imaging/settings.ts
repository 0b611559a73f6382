import { DEFAULT_CLAHE, DEFAULT_PATCH_SETTINGS, type ClaheSettings, type PatchSettings } from './types.js';
import { DEFAULT_GLCM, DEFAULT_QUALITY_THRESHOLDS, type GlcmSettings, type QualityThresholds } from './quality.js';

/** Everything that decides how a billet's patches look; stored with the image and with datasets built from it. */
export interface ImagingSettings {
  patch: PatchSettings;
  clahe: ClaheSettings;
  glcm: { levels: number; offsets: Array<[number, number]>; symmetric: boolean; normed: boolean };
  thresholds: QualityThresholds;
}

export function defaultImagingSettings(): ImagingSettings {
  return {
    patch: { ...DEFAULT_PATCH_SETTINGS },
    clahe: { ...DEFAULT_CLAHE },
    glcm: { ...DEFAULT_GLCM, offsets: DEFAULT_GLCM.offsets.map(([a, b]) => [a, b] as [number, number]) },
    thresholds: { ...DEFAULT_QUALITY_THRESHOLDS },
  };
}

/** Stored settings merged over the defaults (older rows may lack newer keys). */
export function resolveImagingSettings(stored: Partial<ImagingSettings> | null | undefined): ImagingSettings {
  const d = defaultImagingSettings();
  if (!stored) return d;
  return {
    patch: { ...d.patch, ...(stored.patch ?? {}) },
    clahe: { ...d.clahe, ...(stored.clahe ?? {}) },
    glcm: { ...d.glcm, ...(stored.glcm ?? {}) } as ImagingSettings['glcm'],
    thresholds: { ...d.thresholds, ...(stored.thresholds ?? {}) },
  };
}

export type { ClaheSettings, PatchSettings, GlcmSettings, QualityThresholds };
