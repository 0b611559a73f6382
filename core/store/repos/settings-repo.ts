import type { Database } from 'better-sqlite3';

export function createSettingsRepo(db: Database) {
  return {
    get<T>(key: string): T | undefined {
      const row = db.prepare('SELECT value_json FROM settings WHERE key = ?').get(key) as { value_json: string } | undefined;
      return row ? (JSON.parse(row.value_json) as T) : undefined;
    },
    set(key: string, value: unknown): void {
      db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json').run(
        key,
        JSON.stringify(value),
      );
    },
  };
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
