import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The OS's per-user application-data folder, the same place Electron's app.getPath('userData') uses. */
export function defaultUserDataDir(platform = process.platform, env = process.env, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Ferrolab');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Ferrolab');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Ferrolab');
}

/** `--data DIR`, else FERROLAB_DATA, else the OS default. */
export function resolveDataDir(flag: string | undefined, env = process.env): string {
  if (flag) return resolve(flag);
  if (env.FERROLAB_DATA) return resolve(env.FERROLAB_DATA);
  return defaultUserDataDir();
}

/** Layout inside a data folder; everything relative is stored relative to the data folder. */
export function dataLayout(dataDir: string) {
  return {
    root: dataDir,
    database: join(dataDir, 'ferrolab.sqlite'),
    images: join(dataDir, 'images'),
    models: join(dataDir, 'models'),
    reports: join(dataDir, 'reports'),
    tmp: join(dataDir, 'tmp'),
  };
}
export type DataLayout = ReturnType<typeof dataLayout>;
