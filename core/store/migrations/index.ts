import type { Migration } from './migration.js';
import { m001Initial } from './001-initial.js';
import { m003Imaging } from './003-imaging.js';
import { m005Maps } from './005-maps.js';
import { m006Jominy } from './006-jominy.js';
import { m007AttachedPatches } from './007-attached-patches.js';
import { m008ModelIdsNeverReused } from './008-model-ids-never-reused.js';
import { m009RunOwners } from './009-run-owners.js';
import { m010TrainingEpochs } from './010-training-epochs.js';
import { m011JominyGrades } from './011-jominy-grades.js';
import { m012AttachedPatchScale } from './012-attached-patch-scale.js';
import { m014PoreDetections } from './014-pore-detections.js';
import { m015SmoothedPredictedMaps } from './015-smoothed-predicted-maps.js';
import { m016FewerPoints } from './016-fewer-points.js';
import { m017JominyDatasetLayout } from './017-jominy-dataset-layout.js';
import { m018ExperimentRuns } from './018-experiment-runs.js';
import { m020CorrectedMaps } from './020-corrected-maps.js';
import { m021FailurePhrases } from './021-failure-phrases.js';
import { m022SignificantBits } from './022-significant-bits.js';
import { m023SessionPredictor } from './023-session-predictor.js';
import { m024SectionResolutionTag } from './024-section-resolution-tag.js';
import { m025AttachedPatchScaleOverTag } from './025-attached-patch-scale-over-tag.js';
import { m026SectionTagRead } from './026-section-tag-read.js';
import { m027JominyBelowScale } from './027-jominy-below-scale.js';
import { m028ModelScaleWarnings } from './028-model-scale-warnings.js';
import { m029MapScaleWarnings } from './029-map-scale-warnings.js';
import { m030JominyBelowScaleHeats } from './030-jominy-below-scale-heats.js';
import { m031JominySyntheticLabel } from './031-jominy-synthetic-label.js';

/** Ordered, append-only. A released migration is never edited: add a new one. */
export const migrations: readonly Migration[] = [m001Initial, m003Imaging, m005Maps, m006Jominy, m007AttachedPatches, m008ModelIdsNeverReused, m009RunOwners, m010TrainingEpochs, m011JominyGrades, m012AttachedPatchScale, m014PoreDetections, m015SmoothedPredictedMaps, m016FewerPoints, m017JominyDatasetLayout, m018ExperimentRuns, m020CorrectedMaps, m021FailurePhrases, m022SignificantBits, m023SessionPredictor, m024SectionResolutionTag, m025AttachedPatchScaleOverTag, m026SectionTagRead, m027JominyBelowScale, m028ModelScaleWarnings, m029MapScaleWarnings, m030JominyBelowScaleHeats, m031JominySyntheticLabel];

export const latestSchemaVersion = migrations[migrations.length - 1].version;
export type { Migration };
