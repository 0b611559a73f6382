import type { Migration } from './migration.js';

/** First schema: every table the workstation needs; later migrations only add. */
export const m001Initial: Migration = {
  version: 1,
  name: 'initial schema',
  up: (db) => {
    db.exec(`
      CREATE TABLE billets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        steel_grade TEXT,
        heat TEXT,
        nominal_diameter_mm REAL NOT NULL DEFAULT 600 CHECK (nominal_diameter_mm > 0),
        casting_notes TEXT,
        bulk_carbon_wt_pct REAL CHECK (bulk_carbon_wt_pct IS NULL OR (bulk_carbon_wt_pct >= 0 AND bulk_carbon_wt_pct <= 2.5)),
        synthetic INTEGER NOT NULL DEFAULT 0,
        synthetic_json TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE images (
        id INTEGER PRIMARY KEY,
        billet_id INTEGER NOT NULL REFERENCES billets(id) ON DELETE CASCADE,
        content_hash TEXT NOT NULL,
        original_name TEXT NOT NULL,
        format TEXT NOT NULL,
        width INTEGER NOT NULL CHECK (width > 0),
        height INTEGER NOT NULL CHECK (height > 0),
        channels INTEGER,
        bit_depth INTEGER,
        mm_per_px REAL,
        circle_cx_px REAL,
        circle_cy_px REAL,
        circle_r_px REAL,
        circle_source TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX images_billet ON images(billet_id);

      CREATE TABLE sampling_points (
        id INTEGER PRIMARY KEY,
        billet_id INTEGER NOT NULL REFERENCES billets(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        x_mm REAL NOT NULL,
        y_mm REAL NOT NULL,
        source TEXT NOT NULL,
        sort_order INTEGER NOT NULL,
        UNIQUE (billet_id, label)
      );

      CREATE TABLE carbon_readings (
        id INTEGER PRIMARY KEY,
        point_id INTEGER NOT NULL REFERENCES sampling_points(id) ON DELETE CASCADE,
        carbon_wt_pct REAL NOT NULL CHECK (carbon_wt_pct >= 0 AND carbon_wt_pct <= 2.5),
        replicate_no INTEGER NOT NULL CHECK (replicate_no >= 1),
        analyzer TEXT,
        operator TEXT,
        measured_at TEXT,
        source TEXT NOT NULL DEFAULT 'manual',
        created_at TEXT NOT NULL,
        UNIQUE (point_id, replicate_no)
      );

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        parent_model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        path TEXT NOT NULL,
        architecture_json TEXT NOT NULL,
        hyper_json TEXT NOT NULL,
        seed INTEGER NOT NULL,
        dataset_fingerprint TEXT NOT NULL,
        dataset_json TEXT NOT NULL,
        backend_json TEXT NOT NULL,
        history_json TEXT,
        metrics_json TEXT,
        synthetic INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );

      CREATE TABLE training_runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        state TEXT NOT NULL,
        params_json TEXT NOT NULL,
        seed INTEGER NOT NULL,
        backend_json TEXT,
        history_json TEXT,
        metrics_json TEXT,
        error TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT
      );

      CREATE TABLE jominy_datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        synthetic INTEGER NOT NULL DEFAULT 0,
        seed INTEGER,
        notes TEXT,
        created_at TEXT NOT NULL
      );

      CREATE TABLE jominy_samples (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES jominy_datasets(id) ON DELETE CASCADE,
        line_no INTEGER,
        heat_id TEXT,
        grade TEXT,
        grain_size REAL,
        chemistry_json TEXT NOT NULL,
        hardness_json TEXT NOT NULL
      );
      CREATE INDEX jominy_samples_dataset ON jominy_samples(dataset_id);

      CREATE TABLE design_sessions (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        parent_session_id INTEGER REFERENCES design_sessions(id) ON DELETE SET NULL,
        target_json TEXT NOT NULL,
        settings_json TEXT NOT NULL,
        seed INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE design_results (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES design_sessions(id) ON DELETE CASCADE,
        rank INTEGER NOT NULL,
        chemistry_json TEXT NOT NULL,
        profile_json TEXT NOT NULL,
        deviation REAL NOT NULL,
        cost_term REAL NOT NULL,
        in_domain INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        billet_id INTEGER REFERENCES billets(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        path TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        params_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
      );
    `);
  },
};
