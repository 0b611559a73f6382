import { describe, expect, it } from 'vitest';
import { bannerAfterSuccess } from '../../../renderer/src/lib/error-scope.js';

describe('error banner scope', () => {
  it("a view's later success clears the error it raised, and only that one", () => {
    const raised = { view: 'maps', message: 'Contour levels: "x" is not a number' };
    // the Maps view draws a map after its own failure: the stale banner goes
    expect(bannerAfterSuccess(raised.message, raised, 'maps')).toBeNull();
    // another view's success leaves it
    expect(bannerAfterSuccess(raised.message, raised, 'train')).toBe(raised.message);
    // a newer error shown since (e.g. uncaught) is not the one the view raised: it stays
    expect(bannerAfterSuccess('Something went wrong', raised, 'maps')).toBe('Something went wrong');
    expect(bannerAfterSuccess(null, raised, 'maps')).toBeNull();
    expect(bannerAfterSuccess('x', null, 'maps')).toBe('x');
  });
});

describe('which successful calls take a banner down', () => {
  it('every action of every view does; reads and background refreshes do not', async () => {
    const { isUserAction } = await import('../../../renderer/src/lib/error-scope.js');
    const { contract } = await import('../../../core/api/contract.js');
    const names = Object.keys(contract);
    // actions of Billets, Annotate, Train, Maps, Jominy and Settings
    const actions = ['billets.create', 'billets.update', 'billets.delete', 'billets.loadDemo', 'images.import', 'images.setCircle', 'points.layout', 'points.save', 'points.patch', 'readings.set', 'readings.importCsv', 'readings.exportCsv', 'patches.attach', 'cnn.train', 'cnn.predict', 'cnn.models.rename', 'cnn.models.delete', 'maps.render', 'maps.predict', 'maps.exportCsv', 'maps.report', 'jominy.datasets.import', 'jominy.models.train', 'jominy.predict', 'jominy.design', 'jominy.evaluate', 'system.setBackendPreference'];
    const reads = ['billets.list', 'billets.get', 'cnn.models.list', 'cnn.runs.list', 'images.forBillet', 'patches.preview', 'patches.quality', 'maps.predictions', 'reports.list', 'jominy.meta', 'jominy.datasets.samples', 'system.info', 'system.diagnostics', 'jobs.list', 'jobs.get', 'readings.previewCsv'];
    for (const m of [...actions, ...reads]) expect(names, m).toContain(m);
    expect(actions.filter((m) => !isUserAction(m))).toEqual([]);
    expect(reads.filter((m) => isUserAction(m))).toEqual([]);
  });
});
