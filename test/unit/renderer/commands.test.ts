import { describe, expect, it } from 'vitest';
import { MENU_COMMAND_IDS, MENU_GROUP_IDS } from '../../../core/api/menu-commands.js';
import { COMMANDS, MENU_GROUPS, acceleratorLabel, commandForKey, configureCommands, isEnabled, matchesAccelerator, registerCommand, runCommand } from '../../../renderer/src/lib/commands.js';

/** The app state the commands see (App.svelte gives them the real one). */
const app = { view: 'billets', billetId: null as number | null };
configureCommands({ setView: (v) => (app.view = v), billetChosen: () => app.billetId !== null });

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('the command table (menus, menu button, shortcuts)', () => {
  it('has exactly the contract\'s command ids and groups, so the native menu and the page agree', () => {
    expect(COMMANDS.map((c) => c.id)).toEqual([...MENU_COMMAND_IDS]);
    expect([...MENU_GROUPS]).toEqual([...MENU_GROUP_IDS]);
  });

  it('reads Ctrl (or Cmd) shortcuts as the same commands, and Ctrl+Y as redo', () => {
    expect(commandForKey(key('z', { ctrlKey: true }))).toBe('edit.undo');
    expect(commandForKey(key('z', { metaKey: true }))).toBe('edit.undo');
    expect(commandForKey(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('edit.redo');
    expect(commandForKey(key('y', { ctrlKey: true }))).toBe('edit.redo');
    expect(commandForKey(key('s', { ctrlKey: true }))).toBe('file.saveReport');
    expect(commandForKey(key('o', { ctrlKey: true }))).toBe('file.openSection');
    expect(commandForKey(key('F1'))).toBe('help.shortcuts');
    expect(commandForKey(key('3', { altKey: true }))).toBe('view.train');
    expect(commandForKey(key('z'))).toBeNull();
    expect(commandForKey(key('s', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(matchesAccelerator('CmdOrCtrl+Shift+Z', key('z', { ctrlKey: true }))).toBe(false);
    expect(acceleratorLabel('CmdOrCtrl+Shift+Z', false)).toBe('Ctrl+Shift+Z');
    expect(acceleratorLabel('CmdOrCtrl+Shift+Z', true)).toBe('⌘⇧Z');
  });

  it('undo is disabled where no view has an undo stack, and runs the view\'s own when one registers', () => {
    expect(isEnabled('edit.undo')).toBe(false);
    expect(runCommand('edit.undo')).toBe(false);
    let undone = 0;
    let can = false;
    const off = registerCommand('edit.undo', { run: () => void undone++, enabled: () => can });
    expect(isEnabled('edit.undo')).toBe(false);
    expect(runCommand('edit.undo')).toBe(false);
    can = true;
    expect(isEnabled('edit.undo')).toBe(true);
    expect(runCommand('edit.undo')).toBe(true);
    expect(undone).toBe(1);
    off();
    expect(isEnabled('edit.undo')).toBe(false);
  });

  it('Ctrl+O from another view goes to Annotate and opens the chooser once its handler is there', () => {
    app.billetId = 7;
    app.view = 'jominy';
    let opened = 0;
    expect(runCommand('file.openSection')).toBe(true);
    expect(app.view).toBe('annotate');
    const off = registerCommand('file.openSection', { run: () => void opened++ });
    expect(opened).toBe(1);
    off();
    app.billetId = null;
    expect(runCommand('file.openSection')).toBe(true);
    expect(app.view).toBe('billets');
    // Save report needs a billet: without one it is disabled, not a jump to an empty Maps page.
    expect(isEnabled('file.saveReport')).toBe(false);
    expect(runCommand('view.maps')).toBe(true);
    expect(app.view).toBe('maps');
  });
});
