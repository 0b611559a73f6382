import type { ExperimentFigure, ExperimentResult, ExperimentTable } from '../../experiments/types.js';
import { layoutChart } from './chart-geometry.js';
import { budgetLine, cellWithPaper, durationWords, reportTitle, settingsText, SYNTHETIC_BANNER, type ReproductionReportInput } from './report-input.js';

/**
 * The reproduction report as one self-contained HTML file (no script, no external resource): every table with the
 * paper's value beside each measured cell, every figure as inline SVG (paper series dashed), and the run's
 * fingerprint, seeds, backend, timings, settings and notes. Synthetic data carry a banner at the top and on every
 * experiment.
 */

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function tableHtml(t: ExperimentTable): string {
  const head = t.columns.map((c) => `<th>${esc(c.label)}${c.unit ? ` <span class="unit">(${esc(c.unit)})</span>` : ''}</th>`).join('');
  const body = t.rows
    .map((r) => {
      const cells = t.columns
        .map((c) => {
          const v = cellWithPaper(r.cells[c.key], r.paper?.[c.key], c);
          return `<td><span class="measured">${esc(v.measured)}</span>${v.paper === null ? '' : ` <span class="paper">(paper ${esc(v.paper)})</span>`}</td>`;
        })
        .join('');
      return `<tr data-row="${esc(r.key)}">${cells}</tr>`;
    })
    .join('\n');
  return `<table data-table="${esc(t.id)}"><caption>${esc(t.title)} <span class="sample">[${esc(t.sample)}]</span>${t.caption ? `<br><small>${esc(t.caption)}</small>` : ''}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table>`;
}

export function figureSvg(fig: ExperimentFigure, width = 640, height = 320): string {
  const L = layoutChart(fig, { x: 0, y: 0, width, height });
  const { plot } = L;
  const parts: string[] = [];
  for (const t of L.yTicks) {
    parts.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${t.at.toFixed(1)}" y2="${t.at.toFixed(1)}" stroke="#ddd" stroke-width="0.6"/>`);
    parts.push(`<text x="${plot.left - 4}" y="${(t.at + 3).toFixed(1)}" text-anchor="end" font-size="10">${esc(t.label)}</text>`);
  }
  for (const t of L.xTicks) parts.push(`<text x="${t.at.toFixed(1)}" y="${plot.bottom + 13}" text-anchor="middle" font-size="10">${esc(t.label)}</text>`);
  parts.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#333" stroke-width="0.8"/>`);
  L.series.forEach((s) => {
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    if (fig.kind === 'bar') {
      for (const p of s.points) {
        const y0 = Math.min(p.py, L.zeroY);
        const h = Math.abs(L.zeroY - p.py);
        parts.push(`<rect x="${(p.px - L.barWidth / 2).toFixed(1)}" y="${y0.toFixed(1)}" width="${L.barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${s.dashed ? 'none' : s.color}" stroke="${s.color}"${dash}/>`);
      }
    } else {
      if (fig.kind === 'line' && s.points.length > 1) {
        parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.6"${dash} points="${s.points.map((p) => `${p.px.toFixed(1)},${p.py.toFixed(1)}`).join(' ')}"/>`);
      }
      for (const p of s.points) parts.push(`<circle cx="${p.px.toFixed(1)}" cy="${p.py.toFixed(1)}" r="2.6" fill="${s.dashed ? '#fff' : s.color}" stroke="${s.color}"/>`);
    }
    for (const p of s.points) {
      if (p.plo !== undefined && p.phi !== undefined) parts.push(`<line x1="${p.px.toFixed(1)}" x2="${p.px.toFixed(1)}" y1="${p.plo.toFixed(1)}" y2="${p.phi.toFixed(1)}" stroke="${s.color}" stroke-width="1"/>`);
    }
  });
  const legend = L.series
    .map((s, i) => `<g transform="translate(${plot.left + 8 + i * 150},${height - 6})"><line x1="0" x2="18" y1="-3" y2="-3" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/><text x="22" y="0" font-size="10">${esc(s.name)}</text></g>`)
    .join('');
  const xl = `${fig.x.label}${fig.x.unit ? ` (${fig.x.unit})` : ''}`;
  const yl = `${fig.y.label}${fig.y.unit ? ` (${fig.y.unit})` : ''}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 14}" viewBox="0 0 ${width} ${height + 14}" role="img" aria-label="${esc(fig.title)}" font-family="sans-serif">
${parts.join('\n')}
<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 26}" text-anchor="middle" font-size="11">${esc(xl)}</text>
<text transform="translate(11,${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(yl)}</text>
${legend}
</svg>`;
}

function experimentHtml(r: ExperimentResult, synthetic: boolean): string {
  const seeds = Object.entries(r.seeds).map(([k, v]) => `${esc(k)} = ${v}`).join(', ') || '—';
  const settings = Object.entries(r.settings).map(([k, v]) => `<li><b>${esc(k)}</b>: ${esc(settingsText(v))}</li>`).join('');
  return `<section class="experiment" id="exp-${esc(r.id)}">
<h2>${esc(r.title)} <small>(${esc(r.paperRef)})</small></h2>
${synthetic ? `<p class="banner">${esc(SYNTHETIC_BANNER)}</p>` : ''}
${r.tables.map(tableHtml).join('\n')}
${r.figures.map((f) => `<figure data-figure="${esc(f.id)}">${figureSvg(f)}<figcaption>${esc(f.title)}${f.caption ? ` — ${esc(f.caption)}` : ''}</figcaption></figure>`).join('\n')}
<h3>Notes</h3><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('') || '<li>—</li>'}</ul>
<h3>Settings</h3><ul>${settings || '<li>—</li>'}</ul>
<p class="meta">Seeds: ${seeds}. Time: ${esc(durationWords(r.elapsedMs))}.</p>
</section>`;
}

export function buildReproductionHtml(input: ReproductionReportInput): string {
  const title = reportTitle(input);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}${input.synthetic ? ' — SYNTHETIC DATA' : ''}</title>
<style>
body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#111;line-height:1.4}
.banner{background:#b00020;color:#fff;font-weight:bold;padding:.5em 1em;letter-spacing:.05em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #bbb;padding:.25em .5em;text-align:right}
th{background:#eee}caption{text-align:left;font-weight:bold;margin-bottom:.3em}.paper{color:#666}.unit,.sample{color:#666;font-weight:normal}
figure{margin:1em 0}figcaption{font-size:.9em;color:#333}.meta{color:#555;font-size:.9em}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}
</style></head>
<body>
${input.synthetic ? `<p class="banner" id="synthetic-banner">${esc(SYNTHETIC_BANNER)}</p>` : ''}
<h1>${esc(title)}</h1>
<p>${esc(budgetLine(input.budget))}</p>
<dl>
<dt>Run</dt><dd>${input.runId} (attempts: ${input.attempts})</dd>
<dt>Data</dt><dd>${esc(input.inputs.join(', '))}${input.synthetic ? ' — synthetic' : ''}</dd>
<dt>Data fingerprint</dt><dd><code>${esc(input.fingerprint)}</code></dd>
<dt>Root seed</dt><dd>${input.seed}</dd>
<dt>Backend</dt><dd>${esc(input.backend)}</dd>
<dt>Started</dt><dd>${esc(input.startedAt)}</dd>
${input.dataSummary ? `<dt>Data used</dt><dd>${esc(input.dataSummary)}</dd>` : ''}
<dt>Compute time</dt><dd>${esc(durationWords(input.elapsedMs))}${input.estimateS != null ? ` (estimated before the start: ${esc(durationWords(input.estimateS * 1000))})` : ''}</dd>
<dt>Generated</dt><dd>${esc(input.generatedAt)} by Ferrolab ${esc(input.version)}</dd>
</dl>
<p>Each cell shows the measured value with the paper’s value beside it in brackets; the bracket after a table’s title says which sample its numbers come from (in-sample, held-out, out-of-sample, descriptive).</p>
${input.results.length ? input.results.map((r) => experimentHtml(r, input.synthetic)).join('\n') : '<p>No experiment produced a result.</p>'}
</body></html>
`;
}
