import type { UiLanguage } from '../../../core/api/index';
import { call } from './api';
import { setLanguage, systemLanguage, type Language } from './i18n.svelte';
import { oneAfterAnother } from './last-request';

/**
 * Which language the interface speaks: the one chosen in Settings (stored in the data folder's settings),
 * else the OS's (navigator.languages: Electron and Chromium both give the system's preferred list) until
 * someone chooses. Nothing is stored before a choice, so a lab PC that changes its OS language follows it.
 */
export async function applyStoredLanguage(): Promise<Language> {
  const { language } = await call('system.language', {});
  const lang = language ?? systemLanguage();
  setLanguage(lang);
  return lang;
}

const stores = oneAfterAnother();

/**
 * Switches at once and remembers the choice; reports printed later default to it. The choices are stored one after
 * another: two quick switches sent together could be stored in either order, and the next start spoke the older one.
 */
export async function chooseLanguage(lang: UiLanguage): Promise<void> {
  setLanguage(lang);
  await stores(() => call('system.setLanguage', { language: lang }));
}
