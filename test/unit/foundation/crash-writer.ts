// Child process for the crash-safety test: writes readings in transactions until it is killed,
// printing the number of each committed batch after its COMMIT returned.
import { openDatabase } from '../../../core/store/index.js';

const file = process.argv[2];
const { db } = openDatabase(file);
const billet = db.prepare("INSERT INTO billets (name, created_at, updated_at) VALUES ('crash', 'x', 'x')").run();
const point = db.prepare("INSERT INTO sampling_points (billet_id, label, x_mm, y_mm, source, sort_order) VALUES (?, 'P01', 0, 0, 'manual', 1)").run(billet.lastInsertRowid);
const insert = db.prepare('INSERT INTO carbon_readings (point_id, carbon_wt_pct, replicate_no, source, created_at) VALUES (?, ?, ?, ?, ?)');
const batch = db.transaction((n: number) => {
  for (let i = 0; i < 50; i++) insert.run(point.lastInsertRowid, 0.4 + (i % 10) / 1000, n * 50 + i + 1, `batch-${n}`, new Date().toISOString());
});
process.stdout.write('ready\n');
for (let n = 0; ; n++) {
  batch(n);
  process.stdout.write(`committed ${n}\n`);
}
