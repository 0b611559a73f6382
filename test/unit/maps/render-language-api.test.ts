import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { measuredBilletSession } from '../../helpers/measured-billet.js';
import { inkAndDifference } from '../../helpers/grey-ink.js';
import { localClient } from '../../../core/app/dispatch.js';
import { MapSettings } from '../../../core/api/methods/maps.js';

/** The map picture's language through the contract and the CLI: asked for, else the interface language, else English. */
describe('maps.render language', () => {
  const s = measuredBilletSession();

  /** Dark pixels of the title band (above the map box) of a stored preview. */
  async function titleBand(rel: string, mapY: number): Promise<Buffer> {
    const { data, info } = await sharp(readFileSync(join(s.dir, rel))).greyscale().raw().toBuffer({ resolveWithObject: true });
    return data.subarray(0, mapY * info.width);
  }

  it('words the picture in the language asked, else the interface language; one preview per language; the fingerprint is the data’s', async () => {
    const api = localClient(s.ctx);
    const settings = { cellsAcross: 41, widthPx: 400 };
    const en = await api['maps.render']({ billetId: s.billetId, settings });
    expect(en.language).toBe('en');
    await api['system.setLanguage']({ language: 'it' });
    const it_ = await api['maps.render']({ billetId: s.billetId, settings });
    expect(it_.language).toBe('it');
    const zh = await api['maps.render']({ billetId: s.billetId, settings, language: 'zh' });
    expect(zh.language).toBe('zh');
    expect(new Set([en.pngPath, it_.pngPath, zh.pngPath]).size).toBe(3);
    expect(zh.pngPath).toMatch(/\/measured-zh-[0-9a-f]{20}\.png$/);
    expect(new Set([en.fingerprint, it_.fingerprint, zh.fingerprint]).size).toBe(1);
    // the same data, the same map box; the words (title band) differ, and the Chinese one has ink there
    expect(zh.mapBox).toEqual(en.mapBox);
    const a = await titleBand(zh.pngPath, zh.mapBox.y);
    const b = await titleBand(en.pngPath, en.mapBox.y);
    const { ink, differ } = inkAndDifference(a, b);
    expect(ink).toBeGreaterThan(200);
    expect(differ).toBeGreaterThan(200);
    // the contract refuses a language it does not ship, nothing drawn
    await expect(api['maps.render']({ billetId: s.billetId, settings, language: 'fr' as 'it' })).rejects.toThrow(/language/);
  });

  it('the layer builder words a picture in the language it is given (what the report’s maps get): title, subtitle, point values', async () => {
    const b = s.ctx.repos.billets.get(s.billetId);
    const settings = MapSettings.parse({ cellsAcross: 41 });
    const l = s.ctx.services.maps.layers.build(b, 'measured', undefined, settings);
    const zh = await s.ctx.services.maps.layers.renderOptions(b, l, settings, 600, undefined, 'zh');
    expect(zh.language).toBe('zh');
    expect(zh.title).toBe('B-300 — 实测碳含量分布图');
    expect(zh.subtitle).toBe('Ø 300 mm · 42CrMo4 · 炉号 H-1 · C0 = 0.420 wt.% （钢包/熔炼）');
    const it_ = await s.ctx.services.maps.layers.renderOptions(b, l, settings, 600, 'B-300', 'it');
    expect(it_.title).toBe('B-300');
    expect(it_.subtitle).toBe('Ø 300 mm · 42CrMo4 · colata H-1 · C0 = 0,420 wt.% (siviera/colata)');
    expect(it_.markers!.every((m) => m.text === undefined || /^0,\d{3}$/.test(m.text))).toBe(true);
    const en = await s.ctx.services.maps.layers.renderOptions(b, l, settings, 600);
    expect(en.title).toBe('B-300 — Measured carbon map');
    expect(en.subtitle).toBe('Ø 300 mm · 42CrMo4 · heat H-1 · C0 = 0.420 wt.% (ladle/bulk)');
    expect(en.markers!.some((m) => /^0\.\d{3}$/.test(m.text ?? ''))).toBe(true);
  });

  it('ferrolab map --png FILE --lang zh writes the Chinese picture; --lang without --png or --pdf is refused', async () => {
    await s.ctx.close();
    const out = join(s.dir, 'cli-zh.png');
    const ok = await runCli(s.dir, 'map', String(s.billetId), '--measured', '--cells', '41', '--png', out, '--lang', 'zh');
    expect(ok.rc, ok.err).toBe(0);
    const again = join(s.dir, 'cli-zh-2.png');
    expect((await runCli(s.dir, 'map', String(s.billetId), '--measured', '--cells', '41', '--png', again, '--lang', 'zh')).rc).toBe(0);
    // the same picture, byte for byte (no font lookup on the PC: the glyphs are drawn from the shipped fonts)
    expect(readFileSync(out).equals(readFileSync(again))).toBe(true);
    const enOut = join(s.dir, 'cli-en.png');
    expect((await runCli(s.dir, 'map', String(s.billetId), '--measured', '--cells', '41', '--png', enOut, '--lang', 'en')).rc).toBe(0);
    expect(readFileSync(out).equals(readFileSync(enOut))).toBe(false);
    const bad = await runCli(s.dir, 'map', String(s.billetId), '--measured', '--lang', 'zh');
    expect(bad.rc).toBe(2);
    expect(bad.err).toContain('--lang is the language of the PDF report and of the PNG: add --pdf FILE or --png FILE');
  });
});
