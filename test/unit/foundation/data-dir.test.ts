import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { defaultUserDataDir, resolveDataDir } from '../../../core/config/data-dir.js';

describe('data folder resolution', () => {
  it('takes --data, then FERROLAB_DATA, then the per-user folder', () => {
    expect(resolveDataDir('rel/dir', { FERROLAB_DATA: '/env/dir' })).toBe(resolve('rel/dir'));
    expect(resolveDataDir(undefined, { FERROLAB_DATA: '/env/dir' })).toBe('/env/dir');
    expect(resolveDataDir(undefined, {})).toBe(defaultUserDataDir());
  });
  it('uses each OS convention', () => {
    expect(defaultUserDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Ferrolab');
    expect(defaultUserDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/ana')).toBe('/x/Ferrolab');
    expect(defaultUserDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Ferrolab');
    expect(defaultUserDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toMatch(/Roaming.Ferrolab$/);
  });
});
