export { layoutPoints, pointLabel, defaultMarginMm, LAYOUT_PATTERNS, DEFAULT_COUNTS, HEX85_NORM_LIMIT, MAX_LAYOUT_POINTS } from './layouts.js';
export type { LayoutPattern, LayoutOptions, LayoutPoint } from './layouts.js';
