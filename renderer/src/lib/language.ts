import type { UiLanguage } from '../../../core/api/index';
import { call } from './api';
import { setLanguage, systemLanguage, type Language } from './i18n.svelte';

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

/** Switches at once and remembers the choice; reports printed later default to it. */
export async function chooseLanguage(lang: UiLanguage): Promise<void> {
  setLanguage(lang);
  await call('system.setLanguage', { language: lang });
}
