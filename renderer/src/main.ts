import { mount } from 'svelte';
import App from './App.svelte';
import { showUncaughtErrors } from './lib/uncaught-errors';
import { applyStoredLanguage } from './lib/language';
import { setLanguage, systemLanguage } from './lib/i18n.svelte';
import './app.css';
import { installCjkFont } from './lib/cjk-font';

showUncaughtErrors();
installCjkFont();
// The first screen is drawn in the chosen language (no English flash); if the setting cannot be read the OS's
// language is used and the app still starts.
void applyStoredLanguage()
  .catch(() => setLanguage(systemLanguage()))
  .finally(() => mount(App, { target: document.getElementById('app')! }));
