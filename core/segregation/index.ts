export { layoutPoints, pointLabel, defaultMarginMm, LAYOUT_PATTERNS, DEFAULT_COUNTS, HEX85_NORM_LIMIT, MAX_LAYOUT_POINTS } from './layouts.js';
export type { LayoutPattern, LayoutOptions, LayoutPoint } from './layouts.js';
export { MAX_CARBON_WT_PCT, PPM_PER_WT_PCT, MAX_REPLICATES, appendedReplicateNo, toWtPct, carbonProblem, readCarbonNumber, replicateStats } from './carbon-values.js';
export type { CarbonUnit, ReplicateStats } from './carbon-values.js';
export { pooledRepeatability, repeatabilityUpperEnd, readingsUpperEnd, mapMaxUpperEnd, measuredMapUpperEnd, REPEATABILITY_MIN_DF, type PointReplicates, type Repeatability, type RepeatabilityUpperEnd, type PointMean, type PointUpperEnd } from './repeatability.js';
export { parseReadingsCsv, readingsCsvHeader, decodeCsvBytes, detectDelimiter, decideUnit, makeLabelMatcher, prefixKey, CsvFormatError, DELIMITERS } from './readings-csv.js';
export type { Delimiter, ColumnMapping, MappingChoice, CsvLineError, ParsedReadingRow, UnitDecision, ReadingsCsvResult, ReadingsCsvOptions } from './readings-csv.js';
export { readingsToCsv, EXPORT_COLUMNS, type ExportPoint } from './readings-export.js';
