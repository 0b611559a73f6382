import { z } from 'zod';
import { method } from '../define.js';
import { Empty } from '../common.js';

/**
 * The interface's own settings, stored in the data folder's settings table like the ML backend choice, so the
 * desktop app and browser mode (whose page origin changes with every port) agree on them.
 */
export const ThemeChoice = z.enum(['system', 'light', 'dark']);
export type ThemeChoice = z.infer<typeof ThemeChoice>;

export const UiPreferences = z.object({
  /** system: follow the OS (prefers-color-scheme); light or dark: the user's override. */
  theme: ThemeChoice,
});
export type UiPreferences = z.infer<typeof UiPreferences>;

export const uiMethods = {
  'ui.preferences': method('The interface settings (colour theme)', Empty, UiPreferences),
  'ui.setTheme': method('Choose the colour theme: follow the OS (system), light or dark', z.object({ theme: ThemeChoice }).strict(), UiPreferences),
};
