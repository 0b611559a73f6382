export { openDatabase, closeDatabase, SchemaTooNewError, type OpenedDatabase } from './open-database.js';
export { migrate, currentSchemaVersion } from './migrate.js';
export { migrations, latestSchemaVersion } from './migrations/index.js';
export { inTransaction, nowIso } from './tx.js';
export { createBilletsRepo, type BilletsRepo, type BilletInput } from './repos/billets-repo.js';
export { createSettingsRepo, type SettingsRepo } from './repos/settings-repo.js';
