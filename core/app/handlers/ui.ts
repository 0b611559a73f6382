import type { AppContext } from '../context.js';
import type { Handlers } from '../handler-types.js';
import { ThemeChoice, uiMethods, type UiPreferences } from '../../api/methods/ui.js';

function preferences(ctx: AppContext): UiPreferences {
  // A value written by a later version (or by hand) that this one does not know reads as the default.
  const stored = ThemeChoice.safeParse(ctx.repos.settings.get('ui.theme'));
  return { theme: stored.success ? stored.data : 'system' };
}

export const uiHandlers: Handlers<keyof typeof uiMethods> = {
  'ui.preferences': (_args, ctx) => preferences(ctx),
  'ui.setTheme': ({ theme }, ctx) => {
    ctx.repos.settings.set('ui.theme', theme);
    return preferences(ctx);
  },
};
