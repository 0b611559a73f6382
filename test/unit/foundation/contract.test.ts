import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, dispatchEnvelope } from '../../../core/app/dispatch.js';
import { contract, methodNames } from '../../../core/api/contract.js';
import { handlers } from '../../../core/app/handlers/index.js';
import { ApiError } from '../../../core/api/errors.js';
import { tempContext } from '../../helpers/temp.js';

describe('API contract', () => {
  let ctx: ReturnType<typeof tempContext>;
  beforeEach(() => {
    ctx = tempContext();
  });
  afterEach(async () => {
    await ctx.dispose();
  });

  it('has a handler for every method and no handler without a method', () => {
    expect(Object.keys(handlers).sort()).toEqual([...methodNames].sort());
    expect(methodNames.length).toBe(Object.keys(contract).length);
  });

  it('rejects bad arguments with a message naming the field', async () => {
    const err = (await dispatch(ctx, "billets.create", { name: "B1", nominalDiameterMm: -5 }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('invalid_argument');
    expect(err.field).toBe('nominalDiameterMm');
    expect(err.message).toContain('nominalDiameterMm');

    const wrongType = await dispatchEnvelope(ctx, 'billets.get', { id: 'seven' });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_argument', field: 'id' } });

    const carbon = await dispatchEnvelope(ctx, 'billets.create', { name: 'B2', bulkCarbonWtPct: 3.1, nominalDiameterMm: 600 });
    expect(carbon.ok).toBe(false);
    if (!carbon.ok) {
      expect(carbon.error.field).toBe('bulkCarbonWtPct');
      expect(carbon.error.message).toMatch(/2\.5 wt\.%/);
    }

    const empty = await dispatchEnvelope(ctx, 'billets.create', { name: '   ', nominalDiameterMm: 600 });
    expect(empty).toMatchObject({ ok: false, error: { field: 'name' } });
  });

  it('refuses unknown methods', async () => {
    const r = await dispatchEnvelope(ctx, 'billets.dropTable', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('creates, renames, lists and deletes billets (delete needs the exact name)', async () => {
    const a = (await dispatch(ctx, 'billets.create', { name: 'Heat 7781 strand 2', steelGrade: 'C45', nominalDiameterMm: 600 })) as { id: number; name: string };
    await dispatch(ctx, 'billets.create', { name: 'Heat 7782', nominalDiameterMm: 600 });
    const dup = await dispatchEnvelope(ctx, 'billets.create', { name: 'Heat 7782', nominalDiameterMm: 600 });
    expect(dup).toMatchObject({ ok: false, error: { code: 'conflict', field: 'name' } });

    const renamed = (await dispatch(ctx, 'billets.update', { id: a.id, name: 'Heat 7781 S2' })) as { name: string; steelGrade: string };
    expect(renamed.name).toBe('Heat 7781 S2');
    expect(renamed.steelGrade).toBe('C45');

    const wrongConfirm = await dispatchEnvelope(ctx, 'billets.delete', { id: a.id, confirmName: 'Heat 7781' });
    expect(wrongConfirm).toMatchObject({ ok: false, error: { code: 'failed_precondition', field: 'confirmName' } });
    await dispatch(ctx, 'billets.delete', { id: a.id, confirmName: 'Heat 7781 S2' });
    const list = (await dispatch(ctx, 'billets.list', {})) as { name: string }[];
    expect(list.map((b) => b.name)).toEqual(['Heat 7782']);
  });
});
