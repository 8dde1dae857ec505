import * as echarts from 'echarts';
import type { ComparisonRecord, ComparisonRow } from '../../shared/comparison';
import type { EpochEvent, TrainEvent } from '../../shared/events';
import { documentSafe } from '../../shared/controlCharacters';

export interface ComparedRun {
  row: ComparisonRow;
  events: TrainEvent[];
}

const COLOURS = { attention: '#0284c7', 'fully connected': '#ea580c' } as const;

/** A line chart by epoch of both runs, rendered to an SVG string by ECharts' server-side renderer. */
function epochChart(runs: ComparedRun[], title: string, value: (e: EpochEvent) => number, percent: boolean): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 560, height: 320 });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      title: { text: title, left: 'center', textStyle: { fontSize: 14, fontFamily: 'sans-serif' } },
      legend: { bottom: 0, textStyle: { fontFamily: 'sans-serif' } },
      grid: { left: 56, right: 20, top: 40, bottom: 56 },
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, minInterval: 1 },
      yAxis: {
        type: 'value',
        scale: true,
        axisLabel: { formatter: percent ? (v: number) => `${Math.round(v * 100)}%` : undefined },
      },
      series: runs.map(({ row, events }) => ({
        name: `${row.role}: ${row.model}`,
        type: 'line',
        symbolSize: 5,
        color: COLOURS[row.role],
        data: events.filter((e): e is EpochEvent => e.type === 'epoch').map((e) => [e.epoch, value(e)]),
      })),
    });
    return chart.renderToSVGString();
  } finally {
    // An undisposed server-side chart keeps zrender's animation timer, and with it the process, alive.
    chart.dispose();
  }
}

const escape = (text: string) =>
  documentSafe(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);
const count = (value: number | null) => (value === null ? '–' : value.toLocaleString('en-US'));

function tableRow({ row }: ComparedRun): string {
  const seconds = row.secondsPerEpoch === null ? '–' : row.secondsPerEpoch.toFixed(2);
  return `<tr><th>${escape(row.role)}</th><td>${escape(row.model)}<br><small>${escape(row.runId)} · ${escape(row.status)}</small></td>
<td>${count(row.weights)}</td><td>${count(row.specWeights)}</td><td>${count(row.flopsPerExample)}</td><td>${percent(row.testAccuracy)}</td>
<td>${percent(row.bestValAccuracy)}</td><td>${row.epochs}</td><td>${seconds}</td></tr>`;
}

/** The report as one HTML file with nothing to fetch: inline style, inline SVG charts. */
export function comparisonHtml(record: ComparisonRecord, runs: ComparedRun[]): string {
  const accuracy = epochChart(runs, 'Validation accuracy', (e) => e.valAccuracy, true);
  const loss = epochChart(runs, 'Training loss', (e) => e.loss, false);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Attention vs fully connected: ${escape(record.datasetId)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 32px; color: #0f172a; }
table { border-collapse: collapse; margin: 16px 0; }
th, td { border-bottom: 1px solid #cbd5e1; padding: 6px 12px; text-align: right; vertical-align: top; }
th:first-child, td:nth-child(2) { text-align: left; }
small { color: #64748b; }
.charts { display: flex; gap: 16px; flex-wrap: wrap; }
</style></head>
<body>
<h1>Attention vs fully connected</h1>
<p>Dataset <b>${escape(record.datasetId)}</b>; both models trained on the same split, with the same seed and recipe.
The fully connected model's first hidden layer has ${record.baselineHidden} units, the width that brings its weights
closest to the attention model's (as the spec counts them, embeddings at the vocabulary cap; "as trained" counts them
at the vocabulary the tokenizer learnt). Written ${escape(new Date().toISOString())} by Attention Workbench.</p>
<table>
<tr><th></th><th>model</th><th>weights as trained</th><th>weights (spec)</th><th>FLOPs / example</th><th>test accuracy</th><th>best val accuracy</th><th>epochs</th><th>s / epoch</th></tr>
${runs.map(tableRow).join('\n')}
</table>
<div class="charts">${accuracy}${loss}</div>
</body></html>
`;
}
