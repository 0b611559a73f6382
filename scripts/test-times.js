// Where the test suite's time goes: reads vitest's JSON report and prints the slowest files (with their slowest
// tests) and the totals per project, so a change to the suite can be judged file by file.
//   npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/times.json
//   node scripts/test-times.js test-output/times.json [--top 25] [--before other.json]
// With --before, each file's seconds in the other report are printed beside (figures of one machine and load
// only compare with figures of the same machine and load).
// With --write-durations LOG, the file durations printed in a vitest log of the default reporter (` ✓  unit
// test/unit/x.test.ts (3 tests) 61750ms`: from the file's start, its beforeAll and fixture builds included, which
// the JSON report's startTime leaves out) replace those of test/file-durations.json, the table by which vitest
// starts the longest files first (test/longest-first-sequencer.ts). Write it from the log of a FULL clean-clone
// run on the CI machine (.ci/run), whose figures include the fixture builds a clean clone pays. Files the log
// lacks keep their figure; files that no longer exist are dropped.
//   node scripts/test-times.js --write-durations ci.log
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, relative } from 'node:path';

function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** file (relative to the working directory) → { seconds, tests: [{ name, seconds }] } */
function load(path) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const files = new Map();
  for (const f of report.testResults) {
    const tests = f.assertionResults.map((t) => ({ name: t.title, seconds: (t.duration ?? 0) / 1000, status: t.status }));
    files.set(relative(process.cwd(), f.name), { seconds: (f.endTime - f.startTime) / 1000, tests });
  }
  return files;
}

const path = process.argv[2];
if ((!path || path.startsWith('--')) && !argValue('--write-durations')) {
  process.stderr.write('usage: node scripts/test-times.js REPORT.json [--top N] [--before OTHER.json] | --write-durations VITEST.log\n');
  process.exit(2);
}
if (argValue('--write-durations')) {
  const log = argValue('--write-durations');
  const table = 'test/file-durations.json';
  const old = existsSync(table) ? JSON.parse(readFileSync(table, 'utf8')).files : {};
  const merged = {};
  for (const [file, ms] of Object.entries(old)) if (existsSync(file)) merged[file] = ms;
  let n = 0;
  for (const line of readFileSync(log, 'utf8').replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const m = /^\s*[✓×❯]\s+(?:unit|e2e)(?:-isolated)?\s+(\S+\.test\.ts)\s+\(.*?\)\s+(\d+)ms\s*$/.exec(line);
    if (!m) continue;
    merged[m[1]] = Number(m[2]);
    n++;
  }
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(table, `${JSON.stringify({ measured: `${basename(log)} (${n} files in it), written ${new Date().toISOString()}`, files: sorted }, null, 1)}\n`);
  console.log(`wrote ${table}: ${n} files from ${log}, ${Object.keys(sorted).length} in all`);
  process.exit(0);
}
const files = load(path);
const before = argValue('--before') ? load(argValue('--before')) : null;
const top = Number(argValue('--top', 25));

const rows = [...files.entries()].sort((a, b) => b[1].seconds - a[1].seconds);
const pad = (s, n) => String(s).padStart(n);
console.log(`${'seconds'.padStart(8)}${before ? '  before' : ''}  file (slowest tests)`);
for (const [file, f] of rows.slice(0, top)) {
  const was = before?.get(file);
  console.log(`${pad(f.seconds.toFixed(1), 8)}${before ? pad(was ? was.seconds.toFixed(1) : '-', 8) : ''}  ${file}`);
  for (const t of [...f.tests].sort((a, b) => b.seconds - a.seconds).slice(0, 3)) {
    if (t.seconds >= 1) console.log(`${' '.repeat(before ? 18 : 10)}  ${t.seconds.toFixed(1).padStart(6)}  ${t.name.slice(0, 100)}`);
  }
}
const byProject = new Map();
for (const [file, f] of files) {
  const project = file.includes('/e2e/') ? 'e2e' : 'unit';
  const p = byProject.get(project) ?? { files: 0, seconds: 0 };
  p.files++;
  p.seconds += f.seconds;
  byProject.set(project, p);
}
for (const [project, p] of byProject) console.log(`${project}: ${p.files} files, ${p.seconds.toFixed(0)} s summed over files (not wall time: unit files run two at a time on 2 cores)`);
