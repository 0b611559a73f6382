import type { MethodName } from '../../api/contract.js';
import type { Handlers } from '../handler-types.js';
import { systemHandlers } from './system.js';
import { uiHandlers } from './ui.js';
import { billetHandlers } from './billets.js';
import { mapHandlers } from './maps.js';
import { imageHandlers } from './images.js';
import { segregationHandlers } from './segregation.js';
import { jominyHandlers } from './jominy.js';
import { cnnHandlers } from './cnn.js';
import { fewerPointsHandlers } from './fewer-points.js';
import { experimentsHandlers } from './experiments.js';

/** The type makes it a compile error to leave a contract method without a handler. */
export const handlers: Handlers<MethodName> = {
  ...jominyHandlers,
  ...systemHandlers,
  ...uiHandlers,
  ...billetHandlers,
  ...mapHandlers,
  ...imageHandlers,
  ...segregationHandlers,
  ...cnnHandlers,
  ...fewerPointsHandlers,
  ...experimentsHandlers,
};
