export type { ServiceContext } from './context.js';
import type { SectionsService } from './sections/index.js';
import type { SamplingService } from './sampling/index.js';
import type { ReadingsService } from './readings/index.js';
import type { CnnService } from './cnn/index.js';
import type { MapsService } from './maps/index.js';
import type { ReportsService } from './reports/index.js';
import type { DemoService } from './demo/index.js';
import type { JominyService } from './jominy/index.js';
import type { FewerPointsService } from './fewer-points/index.js';
import type { ExperimentsService } from './experiments/index.js';

/** The application services, built once per process by the composition root (compose.ts). One line per service. */
export interface Services {
  sections: SectionsService;
  sampling: SamplingService;
  readings: ReadingsService;
  cnn: CnnService;
  maps: MapsService;
  reports: ReportsService;
  demo: DemoService;
  jominy: JominyService;
  fewerPoints: FewerPointsService;
  experiments: ExperimentsService;
}
