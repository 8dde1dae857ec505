import { paperColours } from './paper';
import type { AttentionLayerSnapshot } from '../../../shared/events';
import { headWeights, weightShade } from '../charts/drawAttention';
import { escapeXml, heatmapSvg, svgDocument } from './figureSvg';

/** One head of a token-attention layer as a heatmap figure: queries down, keys across, on the views' sqrt scale. */
export function headFigureSvg(layer: AttentionLayerSnapshot, head: number): string {
  return heatmapSvg({
    title: `${layer.layer}, head ${head + 1}`,
    rowLabels: layer.queryLabels.slice(0, layer.queries),
    columnLabels: layer.keyLabels.slice(0, layer.keys),
    values: headWeights(layer, head).values,
    rows: layer.queries,
    columns: layer.keys,
    shade: weightShade,
    // The colour position is sqrt(weight): the bar names the weight at each position.
    barLabel: (t) => (t * t).toFixed(t === 0 || t === 1 ? 0 : 2),
    rowAxis: 'query',
    columnAxis: 'key',
  });
}

export interface AttentionLine {
  y1: number;
  y2: number;
  colour: string;
  opacity: number;
}

/** BertViz's lines view as drawn (the lines shown, the tokens on both sides), in ink on white. */
export function linesFigureSvg(
  layer: AttentionLayerSnapshot,
  lines: AttentionLine[],
  geometry: { left: number; right: number; width: number; height: number; row: number },
): string {
  const paper = paperColours();
  const { left, right, row } = geometry;
  const token = (x: number, y: number, text: string, anchor: 'end' | 'start') =>
    `<text x="${x}" y="${y + 20}" font-size="12" text-anchor="${anchor}" dominant-baseline="middle" fill="${paper.ink}">${escapeXml(text.slice(0, 18))}</text>`;
  const body = [
    `<text x="16" y="16" font-size="13" font-weight="bold" fill="${paper.ink}">${escapeXml(layer.layer)}</text>`,
    ...lines.map(
      (line) =>
        `<line x1="${left + 6}" y1="${line.y1 + 20}" x2="${right - 6}" y2="${line.y2 + 20}" stroke="${line.colour}" stroke-opacity="${line.opacity.toFixed(3)}" stroke-width="2"/>`,
    ),
    ...layer.queryLabels.slice(0, layer.queries).map((t, q) => token(left, 18 + q * row, t, 'end')),
    ...layer.keyLabels.slice(0, layer.keys).map((t, k) => token(right, 18 + k * row, t, 'start')),
  ];
  return svgDocument(geometry.width, geometry.height + 28, `${layer.layer}: attention lines`, body.join('\n'));
}
