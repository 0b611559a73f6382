import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, dispatchEnvelope } from '../../../core/app/dispatch.js';
import { tempContext } from '../../helpers/temp.js';

describe('interface settings (colour theme)', () => {
  let ctx: ReturnType<typeof tempContext>;
  beforeEach(() => {
    ctx = tempContext();
  });
  afterEach(async () => {
    await ctx.dispose();
  });

  it('follows the system until the user chooses, and keeps the choice in the data folder', async () => {
    expect(await dispatch(ctx, 'ui.preferences', {})).toEqual({ theme: 'system' });
    expect(await dispatch(ctx, 'ui.setTheme', { theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(await dispatch(ctx, 'ui.preferences', {})).toEqual({ theme: 'dark' });
    expect(ctx.repos.settings.get('ui.theme')).toBe('dark');
  });

  it('refuses a theme it does not have, and reads an unknown stored one as "system"', async () => {
    expect(await dispatchEnvelope(ctx, 'ui.setTheme', { theme: 'sepia' })).toMatchObject({ ok: false, error: { code: 'invalid_argument', field: 'theme' } });
    ctx.repos.settings.set('ui.theme', 'sepia');
    expect(await dispatch(ctx, 'ui.preferences', {})).toEqual({ theme: 'system' });
  });
});
