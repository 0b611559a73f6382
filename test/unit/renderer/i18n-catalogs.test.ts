import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogProblems, definedKeys, literalKeys, readCatalogDir, sourceFiles, usageProblems, type Catalogs } from '../../helpers/i18n-catalog-check.js';

const root = join(import.meta.dirname, '..', '..', '..');
const rendererSrc = join(root, 'renderer', 'src');
const LANGS = ['en', 'zh', 'it'];

/**
 * Keys the renderer builds at run time (t(`ns:${…}`)), so no literal call names them: each with why.
 * Every entry must exist in the catalogs (checked below), and nothing else escapes the unused-key check.
 */
const DYNAMIC_KEYS: Record<string, string> = {
  'settings:language.names.en': 'SettingsView names each language in the language picker by a loop over LANGUAGES',
  'settings:language.names.zh': 'same loop',
  'settings:language.names.it': 'same loop',
  'menu:file': 'MenuButton and the native menu title each MENU_GROUPS entry by t(`menu:${group}`)',
  'menu:edit': 'same loop over MENU_GROUPS',
  'menu:view': 'same loop over MENU_GROUPS',
  'menu:window': 'same loop over MENU_GROUPS',
  'menu:help': 'same loop over MENU_GROUPS',
  'theme:system': 'ThemeSetting labels each theme choice by t(`theme:${choice}`)',
  'theme:light': 'same loop over the theme choices',
  'theme:dark': 'same loop over the theme choices',
  'csv:heat': 'JominyCsvPreview names each column role by t(`csv:${kind}`)',
  'csv:grade': 'same, column roles from jominy.datasets.previewCsv',
  'csv:grain': 'same, column roles from jominy.datasets.previewCsv',
  'csv:scale': 'same, column roles from jominy.datasets.previewCsv',
  'experiments:sample.in-sample': 'ExperimentTable labels a table by t(`experiments:sample.${table.sample}`) (SampleLabel)',
  'experiments:sample.held-out': 'same, SampleLabel',
  'experiments:sample.out-of-sample': 'same, SampleLabel',
  'experiments:sample.paper': 'same, SampleLabel',
  'experiments:sample.descriptive': 'same, SampleLabel',
  'experiments:sample.unknown': 'FewerPointsPanel and PredictPanel say a plan\'s, check\'s, curve\'s or point\'s SampleLabel by t(`experiments:sample.${s}`); unknown: a deleted ancestor (task 27-G)',
  'experiments:state.running': 'ExperimentsView shows a run state by t(`experiments:state.${state}`)',
  'experiments:state.done': 'same, run states',
  'experiments:state.failed': 'same, run states',
  'experiments:state.cancelled': 'same, run states',
  'experiments:state.interrupted': 'same, run states',
  'experiments:budgetShort.quick': 'ExperimentsView shows a budget by t(`experiments:budgetShort.${budget}`)',
  'experiments:budgetShort.full': 'same, budgets',
};

/** A string literal that is a whole key ('menu:undo' in the command table, 'numbers:ambiguous' in a refusal) is handed to t() later: a use. */
const KEY_LITERAL = /['"`]([a-z0-9-]+:[\w.-]+)['"`]/g;

function usedRendererKeys(): Set<string> {
  const used = new Set<string>(Object.keys(DYNAMIC_KEYS));
  const defined = definedKeys(readCatalogDir(join(rendererSrc, 'i18n')).en);
  for (const f of sourceFiles(rendererSrc, /\.(svelte|ts)$/)) {
    const text = readFileSync(f, 'utf8');
    for (const k of literalKeys(text)) used.add(k);
    for (const m of text.matchAll(KEY_LITERAL)) if (defined.has(m[1])) used.add(m[1]);
  }
  return used;
}

describe('renderer catalogs (renderer/src/i18n/<lang>/<namespace>.json)', () => {
  const catalogs = readCatalogDir(join(rendererSrc, 'i18n'));

  it('has English, Simplified Chinese and Italian, with the same namespaces, keys and variables, no empty text', () => {
    expect(Object.keys(catalogs).sort()).toEqual([...LANGS].sort());
    expect(Object.keys(catalogs.en).length).toBeGreaterThan(3);
    const ordered: Catalogs = Object.fromEntries(LANGS.map((l) => [l, catalogs[l]]));
    expect(catalogProblems(ordered)).toEqual([]);
  });

  it('every key the code uses exists, and every key in the catalogs is used', () => {
    const used = usedRendererKeys();
    for (const k of used) expect(k, `t('${k}') must be written "namespace:key"`).toMatch(/^[a-z0-9-]+:[\w.-]+$/);
    expect(usageProblems(definedKeys(catalogs.en), used)).toEqual({ missing: [], unused: [] });
  });
});

describe('report catalogs (core/report/i18n/<lang>/report.json)', () => {
  const catalogs = readCatalogDir(join(root, 'core', 'report', 'i18n'));

  it('has the three languages with the same keys and variables, no empty text', () => {
    expect(Object.keys(catalogs).sort()).toEqual([...LANGS].sort());
    expect(catalogProblems(Object.fromEntries(LANGS.map((l) => [l, catalogs[l]])))).toEqual([]);
  });

  it('every key the report uses exists, and every key is used', () => {
    const used = new Set<string>();
    // the report itself, and the reports service that words the map titles, the map source and the pore line
    const dirs = [join(root, 'core', 'report'), join(root, 'core', 'services', 'reports'), join(root, 'core', 'services', 'shared')];
    for (const f of dirs.flatMap((d) => sourceFiles(d, /\.ts$/))) for (const k of literalKeys(readFileSync(f, 'utf8'), 'tr')) used.add(`report:${k}`);
    expect(usageProblems(definedKeys(catalogs.en), used)).toEqual({ missing: [], unused: [] });
  });
});

describe('the checks fail when they should (fixture)', () => {
  const fixture: Catalogs = {
    en: { demo: { title: 'Billets', pores: { find: 'Find pores' }, del: 'Delete {{name}}?', spare: 'Never used' } },
    zh: { demo: { title: '铸坯', pores: { find: '' }, del: '删除“{{nom}}”？', spare: '未使用' } },
    it: { demo: { title: 'Billette', del: 'Eliminare {{name}}?', spare: 'Mai usata' } },
  };

  it('a key missing in one language, an empty text and a renamed variable are each reported', () => {
    expect(catalogProblems(fixture)).toEqual([
      'zh: demo:pores.find is empty',
      'it: demo:pores.find is missing',
      'zh: demo:del has variables {nom}, en has {name}',
    ]);
  });

  it('a used key missing from the catalogs and a catalog key nobody uses are reported', () => {
    const source = `<h1>{t('demo:title')}</h1><button>{t("demo:pores.find")}</button>{t('demo:del', { name })}{t('demo:subtitle')}{t(\`demo:\${dyn}\`)}`;
    const used = new Set(literalKeys(source));
    expect([...used].sort()).toEqual(['demo:del', 'demo:pores.find', 'demo:subtitle', 'demo:title']);
    expect(usageProblems(definedKeys(fixture.en), used)).toEqual({ missing: ['demo:subtitle'], unused: ['demo:spare'] });
  });

  it('finds only calls of the named function, not look-alikes', () => {
    expect(literalKeys(`i18next.t('x:a'); tr('x:b'); format('x:c'); t( 'x:d')`)).toEqual(['x:d']);
    expect(literalKeys(`tr('title'); t('x:a')`, 'tr')).toEqual(['title']);
  });
});
