import type { ExperimentFigure, ExperimentResult, ExperimentTable } from '../../experiments/types.js';
import { layoutChart } from './chart-geometry.js';
import { cellWithPaper, settingsText, type ReproductionReportInput } from './report-input.js';
import { reproductionWords, type ReproductionWords } from './report-words.js';

/**
 * The reproduction report as one self-contained HTML file (no script, no external resource): every table with the
 * paper's value beside each measured cell, every figure as inline SVG (paper series dashed), and the run's
 * fingerprint, seeds, backend, timings, settings and notes. Synthetic data carry a banner at the top and on every
 * experiment.
 */

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function tableHtml(t: ExperimentTable, w: ReproductionWords): string {
  const head = t.columns.map((c) => `<th>${esc(w.column({ ...c, unit: undefined }))}${c.unit ? ` <span class="unit">(${esc(c.unit)})</span>` : ''}</th>`).join('');
  const body = t.rows
    .map((r) => {
      const cells = t.columns
        .map((c) => {
          const v = cellWithPaper(r.cells[c.key], r.paper?.[c.key], c);
          return `<td><span class="measured">${esc(v.measured)}</span>${v.paper === null ? '' : ` <span class="paper">(${esc(w.paper(v.paper))})</span>`}</td>`;
        })
        .join('');
      return `<tr data-row="${esc(r.key)}">${cells}</tr>`;
    })
    .join('\n');
  return `<table data-table="${esc(t.id)}"><caption>${esc(w.tableTitle(t))} <span class="sample">[${esc(w.sample(t.sample))}]</span>${t.caption ? `<br><small>${esc(w.caption(t)!)}</small>` : ''}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table>`;
}

export function figureSvg(fig: ExperimentFigure, width = 640, height = 320, w: Pick<ReproductionWords, 'axis' | 'series' | 'figureTitle'> = reproductionWords({ kind: 'segregation' } as ReproductionReportInput)): string {
  // the legend's names in the report's language (the chart layout carries them)
  const L = layoutChart({ ...fig, series: fig.series.map((s) => ({ ...s, name: w.series(s) })) }, { x: 0, y: 0, width, height });
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
  const xl = w.axis(fig.x);
  const yl = w.axis(fig.y);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 14}" viewBox="0 0 ${width} ${height + 14}" role="img" aria-label="${esc(w.figureTitle(fig))}" font-family="sans-serif">
${parts.join('\n')}
<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 26}" text-anchor="middle" font-size="11">${esc(xl)}</text>
<text transform="translate(11,${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(yl)}</text>
${legend}
</svg>`;
}

function experimentHtml(r: ExperimentResult, synthetic: boolean, w: ReproductionWords): string {
  const settings = Object.entries(r.settings).map(([k, v]) => `<li><b>${esc(k)}</b>: ${esc(settingsText(v))}</li>`).join('');
  return `<section class="experiment" id="exp-${esc(r.id)}">
<h2>${esc(w.resultTitle(r))} <small>(${esc(r.paperRef)})</small></h2>
${synthetic ? `<p class="banner">${esc(w.banner)}</p>` : ''}
${r.tables.map((t) => tableHtml(t, w)).join('\n')}
${r.figures.map((f) => `<figure data-figure="${esc(f.id)}">${figureSvg(f, 640, 320, w)}<figcaption>${esc(w.figureTitle(f))}${f.caption ? ` — ${esc(w.caption(f)!)}` : ''}</figcaption></figure>`).join('\n')}
<h3>${esc(w.text.notes)}</h3><ul>${r.notes.map((_n, i) => `<li>${esc(w.note(r, i))}</li>`).join('') || '<li>—</li>'}</ul>
<h3>${esc(w.text.settings)}</h3><ul>${settings || '<li>—</li>'}</ul>
<p class="meta">${esc(w.seedsTime(r))}</p>
</section>`;
}

export function buildReproductionHtml(input: ReproductionReportInput): string {
  const w = reproductionWords(input);
  const title = w.title();
  return `<!DOCTYPE html>
<html lang="${w.lang === 'zh' ? 'zh-CN' : w.lang}"><head><meta charset="utf-8"><title>${esc(title)}${input.synthetic ? ` — ${esc(w.text.syntheticShort)}` : ''}</title>
<style>
body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#111;line-height:1.4}
.banner{background:#b00020;color:#fff;font-weight:bold;padding:.5em 1em;letter-spacing:.05em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #bbb;padding:.25em .5em;text-align:right}
th{background:#eee}caption{text-align:left;font-weight:bold;margin-bottom:.3em}.paper{color:#666}.unit,.sample{color:#666;font-weight:normal}
figure{margin:1em 0}figcaption{font-size:.9em;color:#333}.meta{color:#555;font-size:.9em}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}
</style></head>
<body>
${input.synthetic ? `<p class="banner" id="synthetic-banner">${esc(w.banner)}</p>` : ''}
<h1>${esc(title)}</h1>
<p>${esc(w.budget())}</p>
<dl>
${w.runRows().map(([k, v]) => `<dt>${esc(k)}</dt><dd>${k === w.text.fingerprint ? `<code>${esc(v)}</code>` : esc(v)}</dd>`).join('\n')}
</dl>
<p>${esc(w.text.explainHtml)}</p>
${input.results.length ? input.results.map((r) => experimentHtml(r, input.synthetic, w)).join('\n') : `<p>${esc(w.text.none)}</p>`}
</body></html>
`;
}
