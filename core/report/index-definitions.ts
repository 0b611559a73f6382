import type { ReportTranslate } from './report-i18n.js';

/**
 * The definitions printed under the segregation indices, in the report's language. The English catalog text is
 * held equal to core/maps' INDEX_DEFINITIONS (the domain's own words) by test/unit/report/report-language.test.ts,
 * so the two cannot drift apart.
 */
export function indexDefinitions(tr: ReportTranslate): { name: string; definition: string }[] {
  return [
    { name: tr('def.c0.name'), definition: tr('def.c0.text') },
    { name: tr('def.ratio.name'), definition: tr('def.ratio.text') },
    { name: tr('def.centre.name'), definition: tr('def.centre.text') },
    { name: tr('def.maxMin.name'), definition: tr('def.maxMin.text') },
    { name: tr('def.sd.name'), definition: tr('def.sd.text') },
    { name: tr('def.range.name'), definition: tr('def.range.text') },
    { name: tr('def.area.name'), definition: tr('def.area.text') },
    { name: tr('def.profile.name'), definition: tr('def.profile.text') },
    { name: tr('def.whiteBand.name'), definition: tr('def.whiteBand.text') },
    { name: tr('def.cet.name'), definition: tr('def.cet.text') },
    { name: tr('def.covered.name'), definition: tr('def.covered.text') },
    { name: tr('def.extrapolated.name'), definition: tr('def.extrapolated.text') },
  ];
}
