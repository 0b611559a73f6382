import type { CliCommand } from '../command.js';
import { systemCommands } from './system.js';
import { billetCommands } from './billets.js';
import { imagingCommands } from './imaging.js';
import { segregationCommands } from './segregation.js';
import { mapCommands } from './maps.js';
import { jominyCommands } from './jominy.js';
import { jominyGradeCommands } from './jominy-grades.js';
import { jominyDatasetCommands } from './jominy-datasets.js';
import { cnnCommands } from './cnn.js';
import { fewerPointsCommands } from './fewer-points.js';
import { pretrainedCommands } from './pretrained.js';
import { experimentCommands } from './experiments.js';

/** Every verb of the one `ferrolab` CLI; each is a thin call into core. */
export const commands: CliCommand[] = [
  ...systemCommands,
  ...billetCommands,
  ...imagingCommands,
  ...segregationCommands,
  ...cnnCommands,
  ...pretrainedCommands,
  ...fewerPointsCommands,
  ...mapCommands,
  ...jominyCommands,
  ...jominyGradeCommands,
  ...jominyDatasetCommands,
  ...experimentCommands,
];
