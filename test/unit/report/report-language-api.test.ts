import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { measuredBilletSession } from '../../helpers/measured-billet.js';
import { localClient } from '../../../core/app/dispatch.js';

/** The report's language through the contract and the CLI: asked for, else the interface language, else English. */
const text = (file: string) => execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

describe('maps.report language', () => {
  const s = measuredBilletSession();

  it('defaults to English, then to the interface language once chosen; an explicit language wins; the fingerprint does not depend on it', async () => {
    const api = localClient(s.ctx);
    const settings = { cellsAcross: 41 };
    expect(await api['system.language']({})).toEqual({ language: null });
    const en = await api['maps.report']({ billetId: s.billetId, settings });
    expect(text(join(s.dir, en.path))).toContain('Billet carbon segregation report');

    expect(await api['system.setLanguage']({ language: 'it' })).toEqual({ language: 'it' });
    const it = await api['maps.report']({ billetId: s.billetId, settings });
    const itText = text(join(s.dir, it.path));
    for (const s of ['Rapporto di segregazione del carbonio della billetta', 'Mappa del carbonio misurata', 'mappa misurata (spline a lastra sottile)', 'Indici di segregazione']) expect(itText, s).toContain(s);

    const zh = await api['maps.report']({ billetId: s.billetId, settings, language: 'zh' });
    const zhText = text(join(s.dir, zh.path));
    for (const s of ['铸坯碳偏析检测报告', '实测碳含量分布图', '实测偏析图（薄板样条插值）', '偏析指数', '未查找（无已标定的截面图像）']) expect(zhText, s).toContain(s);
    // sentences the core writes (core/api/phrase.ts) print in Chinese too: the measured map's method note and the
    // coverage rule beside the indices; their English words do not appear (wrapped lines: compare without spaces)
    const zhFlat = zhText.replace(/\s+/g, '');
    for (const s of ['薄板样条（r²lnr核加线性趋势，不平滑）', '图中碳含量绝不低于或高于实测值', '指数按取样点的凸包计算']) expect(zhFlat, s).toContain(s);
    for (const s of ['Thin-plate spline (r² ln r kernel', 'convex hull of the sampling points']) expect(zhText, s).not.toContain(s);
    expect(text(join(s.dir, en.path))).toContain('convex hull of the sampling points');
    // the same data in three languages is the same data
    expect(new Set([en.fingerprint, it.fingerprint, zh.fingerprint]).size).toBe(1);
    // a language we do not ship is refused by the contract, nothing stored
    await expect(api['system.setLanguage']({ language: 'fr' as 'it' })).rejects.toThrow(/language/);
    expect(s.ctx.repos.settings.get('ui.language')).toBe('it');
  });

  it('ferrolab map --lang zh writes a Chinese PDF; --lang fr is refused quoting the value', async () => {
    await s.ctx.close();
    const out = join(s.dir, 'cli-zh.pdf');
    const ok = await runCli(s.dir, 'map', String(s.billetId), '--measured', '--cells', '41', '--pdf', out, '--lang', 'zh');
    expect(ok.rc, ok.err).toBe(0);
    expect(text(out)).toContain('铸坯碳偏析检测报告');
    const bad = await runCli(s.dir, 'map', String(s.billetId), '--measured', '--pdf', join(s.dir, 'x.pdf'), '--lang', 'fr');
    expect(bad.rc).toBe(2);
    expect(bad.err).toContain('--lang must be en, zh or it (got "fr")');
    expect(existsSync(join(s.dir, 'x.pdf'))).toBe(false);
  });
});
