import { viridis } from '../charts/viridis';
import { documentSafe } from '../../../shared/controlCharacters';
import { paperColours } from './paper';

/**
 * Figures as standalone SVG documents, built from the data rather than copied off the screen: cells are rectangles
 * and labels are text, so a figure stays sharp at any size in a paper or a slide. DOM-free, so tests read them.
 */

export const FIGURE_FONT = 'Helvetica, Arial, sans-serif';

/** Text for an SVG document: markup escaped, and what XML cannot hold at all (control characters) removed. */
export function escapeXml(text: string): string {
  return documentSafe(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

const rgb = ([r, g, b]: readonly number[]) => `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
const round = (value: number) => Math.round(value * 100) / 100;

/** A whole SVG file on a white background, with its title as the accessible name. */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  const paper = paperColours();
  const [w, h] = [Math.ceil(width), Math.ceil(height)];
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="${FIGURE_FONT}">
<title>${escapeXml(title)}</title>
<rect width="${w}" height="${h}" fill="${paper.page}"/>
${body}
</svg>
`;
}

/** A horizontal viridis colour bar from 0 to 1 with its ticks, `ticks` labelled by `label`. */
export function colourBarSvg(x: number, y: number, width: number, label: (t: number) => string): string {
  const paper = paperColours();
  const stops = Array.from({ length: 11 }, (_, i) => i / 10)
    .map((t) => `<stop offset="${t}" stop-color="${rgb(viridis(t))}"/>`)
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<text x="${round(x + t * width)}" y="${y + 24}" font-size="10" text-anchor="middle" fill="${paper.muted}">${escapeXml(label(t))}</text>`,
    )
    .join('');
  return `<defs><linearGradient id="colour-bar">${stops}</linearGradient></defs>
<rect x="${x}" y="${y}" width="${width}" height="10" fill="url(#colour-bar)"/>${ticks}`;
}

export interface HeatmapFigure {
  title: string;
  rowLabels: string[];
  columnLabels: string[];
  /** Row-major, rows x columns. */
  values: ArrayLike<number>;
  rows: number;
  columns: number;
  /** Colour position in 0..1 of a value. */
  shade: (value: number) => number;
  /** What the colour bar's positions mean, in the values' terms. */
  barLabel: (position: number) => string;
  /** Text written in a cell (a count), if any. */
  cellText?: (index: number) => string;
  rowAxis?: string;
  columnAxis?: string;
}

/**
 * A matrix as rows x columns of coloured cells, row labels on the left, column labels rotated above, a colour bar
 * below. Cells are at least 10 pt, so 64 tokens still have legible labels.
 */
export function heatmapSvg(figure: HeatmapFigure): string {
  const paper = paperColours();
  const { rows, columns } = figure;
  const cell = Math.max(10, Math.min(36, Math.floor(560 / Math.max(rows, columns))));
  const labelWidth = (labels: string[]) => 12 + 6 * Math.min(18, Math.max(1, ...labels.map((l) => l.length)));
  const left = labelWidth(figure.rowLabels) + (figure.rowAxis ? 16 : 0);
  const top = 30 + labelWidth(figure.columnLabels) + (figure.columnAxis ? 16 : 0);
  const font = Math.min(11, Math.max(7, cell * 0.8));
  const parts: string[] = [
    `<text x="${left}" y="18" font-size="13" font-weight="bold" fill="${paper.ink}">${escapeXml(figure.title)}</text>`,
  ];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const i = r * columns + c;
      const value = figure.values[i]!;
      const position = Math.min(1, Math.max(0, figure.shade(value)));
      parts.push(
        `<rect x="${left + c * cell}" y="${top + r * cell}" width="${cell}" height="${cell}" fill="${rgb(viridis(position))}"><title>${escapeXml(
          `${figure.rowLabels[r] ?? r} → ${figure.columnLabels[c] ?? c}: ${Number(value.toFixed(4))}`,
        )}</title></rect>`,
      );
      const text = figure.cellText?.(i);
      if (text) {
        parts.push(
          `<text x="${left + (c + 0.5) * cell}" y="${top + (r + 0.5) * cell}" font-size="${font}" text-anchor="middle" dominant-baseline="central" fill="${position > 0.6 ? paper.ink : paper.onDark}">${escapeXml(text)}</text>`,
        );
      }
    }
  }
  figure.rowLabels.slice(0, rows).forEach((label, r) => {
    parts.push(
      `<text x="${left - 4}" y="${round(top + (r + 0.5) * cell)}" font-size="${font}" text-anchor="end" dominant-baseline="central" fill="${paper.ink}">${escapeXml(label.slice(0, 18))}</text>`,
    );
  });
  figure.columnLabels.slice(0, columns).forEach((label, c) => {
    const x = round(left + (c + 0.5) * cell);
    parts.push(
      `<text transform="translate(${x} ${top - 4}) rotate(-90)" font-size="${font}" dominant-baseline="central" fill="${paper.ink}">${escapeXml(label.slice(0, 18))}</text>`,
    );
  });
  if (figure.rowAxis) {
    const y = round(top + (rows * cell) / 2);
    parts.push(
      `<text transform="translate(12 ${y}) rotate(-90)" font-size="11" text-anchor="middle" fill="${paper.muted}">${escapeXml(figure.rowAxis)}</text>`,
    );
  }
  if (figure.columnAxis) {
    parts.push(
      `<text x="${round(left + (columns * cell) / 2)}" y="40" font-size="11" text-anchor="middle" fill="${paper.muted}">${escapeXml(figure.columnAxis)}</text>`,
    );
  }
  const bottom = top + rows * cell + 16;
  const barWidth = Math.max(160, Math.min(320, columns * cell));
  parts.push(colourBarSvg(left, bottom, barWidth, figure.barLabel));
  return svgDocument(
    Math.max(left + columns * cell, left + barWidth) + 24,
    bottom + 36,
    figure.title,
    parts.join('\n'),
  );
}

/** Tokens in a row (wrapping), each on a background as strong as its weight relative to the largest. */
export function tokenStripSvg(title: string, tokens: string[], weights: ArrayLike<number>): string {
  const paper = paperColours();
  const largest = Math.max(1e-9, ...Array.from(weights));
  const parts = [
    `<text x="16" y="20" font-size="13" font-weight="bold" fill="${paper.ink}">${escapeXml(title)}</text>`,
  ];
  const [width, lineHeight] = [760, 26];
  let [x, y] = [16, 36];
  tokens.forEach((token, i) => {
    const w = 8 + 7.2 * Math.min(24, token.length);
    if (x + w > width - 16) [x, y] = [16, y + lineHeight];
    const strength = weights[i]! / largest;
    parts.push(
      `<rect x="${round(x)}" y="${y}" width="${round(w)}" height="20" rx="3" fill="${paper.bar}" fill-opacity="${strength.toFixed(3)}"/>`,
      `<text x="${round(x + w / 2)}" y="${y + 14}" font-size="12" text-anchor="middle" fill="${strength > 0.6 ? paper.onDark : paper.ink}">${escapeXml(token.slice(0, 24))}<title>${escapeXml(`${token}: ${(weights[i]! * 100).toFixed(1)}%`)}</title></text>`,
    );
    x += w + 4;
  });
  return svgDocument(width, y + lineHeight + 12, title, parts.join('\n'));
}

export interface ImageOverlayFigure {
  title: string;
  /** The input image as a data: URL, `width` x `height` pixels. */
  imageHref: string;
  width: number;
  height: number;
  /** A spatial gate, rows x columns in 0..1, drawn over the whole image at `opacity`. */
  gate: { rows: number; columns: number; weights: ArrayLike<number> } | null;
  opacity: number;
}

/** The input image (its pixels kept square) under a spatial gate's cells, with the colour bar of the gate. */
export function imageOverlaySvg(figure: ImageOverlayFigure): string {
  const paper = paperColours();
  const side = 320;
  const [x, y] = [16, 32];
  const parts = [
    `<text x="${x}" y="20" font-size="13" font-weight="bold" fill="${paper.ink}">${escapeXml(figure.title)}</text>`,
    `<image x="${x}" y="${y}" width="${side}" height="${side}" preserveAspectRatio="none" style="image-rendering:pixelated" href="${figure.imageHref}" xlink:href="${figure.imageHref}"/>`,
  ];
  const gate = figure.gate;
  if (gate) {
    const [w, h] = [side / gate.columns, side / gate.rows];
    const cells: string[] = [];
    for (let r = 0; r < gate.rows; r++) {
      for (let c = 0; c < gate.columns; c++) {
        const value = gate.weights[r * gate.columns + c]!;
        cells.push(
          `<rect x="${round(x + c * w)}" y="${round(y + r * h)}" width="${round(w)}" height="${round(h)}" fill="${rgb(viridis(Math.min(1, Math.max(0, value))))}"/>`,
        );
      }
    }
    parts.push(`<g fill-opacity="${figure.opacity}" shape-rendering="crispEdges">${cells.join('')}</g>`);
    parts.push(colourBarSvg(x, y + side + 12, side, (t) => t.toFixed(2)));
  }
  return svgDocument(side + 2 * x, y + side + (gate ? 52 : 16), figure.title, parts.join('\n'));
}

/** Horizontal bars of values in 0..1 (class probabilities), each labelled with its name and its percentage. */
export function probabilityBarsSvg(title: string, bars: { label: string; value: number }[]): string {
  const paper = paperColours();
  const [left, width, row] = [16 + 7 * Math.min(24, Math.max(4, ...bars.map((b) => b.label.length))), 320, 22];
  const parts = [
    `<text x="16" y="20" font-size="13" font-weight="bold" fill="${paper.ink}">${escapeXml(title)}</text>`,
  ];
  bars.forEach((bar, i) => {
    const y = 32 + i * row;
    parts.push(
      `<text x="${left - 6}" y="${y + 8}" font-size="12" text-anchor="end" dominant-baseline="central" fill="${paper.ink}">${escapeXml(bar.label.slice(0, 24))}</text>`,
      `<rect x="${left}" y="${y}" width="${width}" height="16" fill="${paper.track}"/>`,
      `<rect x="${left}" y="${y}" width="${round(Math.min(1, Math.max(0, bar.value)) * width)}" height="16" fill="${paper.bar}"/>`,
      `<text x="${left + width + 6}" y="${y + 8}" font-size="12" dominant-baseline="central" fill="${paper.muted}">${(bar.value * 100).toFixed(1)}%</text>`,
    );
  });
  return svgDocument(left + width + 64, 40 + bars.length * row, title, parts.join('\n'));
}
