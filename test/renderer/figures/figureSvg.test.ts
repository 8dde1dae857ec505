// @vitest-environment happy-dom
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { paperColours } from '../../../src/renderer/src/figures/paper';
import { themeColours } from '../../../src/renderer/src/theme/themeTokens';
import { init, use } from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { describe, expect, it } from 'vitest';
import { viridis } from '../../../src/renderer/src/charts/viridis';
import { headFigureSvg, linesFigureSvg } from '../../../src/renderer/src/figures/attentionFigures';
import { echartFigure } from '../../../src/renderer/src/figures/echartFigure';
import {
  heatmapSvg,
  imageOverlaySvg,
  probabilityBarsSvg,
  tokenStripSvg,
} from '../../../src/renderer/src/figures/figureSvg';
import type { AttentionLayerSnapshot } from '../../../src/shared/events';

use([LineChart, GridComponent, LegendComponent, SVGRenderer]);

const parse = (svg: string) => new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
const colour = (t: number) => `rgb(${viridis(t).map(Math.round).join(',')})`;
/** A token self-attention layer over `tokens`, `heads` heads, row-major [heads, queries, keys] weights. */
const selfAttention = (tokens: string[], heads: number, weights: number[]): AttentionLayerSnapshot => ({
  layer: 'encoder1',
  kind: 'tokens',
  queryLabels: tokens,
  keyLabels: tokens,
  heads,
  queries: tokens.length,
  keys: tokens.length,
  weights: new Float32Array(weights),
});
/** The cells of a heatmap: the rectangles that carry a hover title. */
const cells = (root: Element) => [...root.querySelectorAll('rect')].filter((r) => r.querySelector('title'));

describe('figures as SVG', () => {
  it('draws a heatmap cell per value, coloured by its shade, with every label as escaped text', () => {
    const values = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 0.05];
    const svg = heatmapSvg({
      title: 'a <b> & c',
      rowLabels: ['r0', 'r1', '<r2>'],
      columnLabels: ['c0', 'c1', 'c2', 'c3'],
      values,
      rows: 3,
      columns: 4,
      shade: (v) => v,
      barLabel: (t) => t.toFixed(1),
      cellText: (i) => String(i),
    });
    const root = parse(svg);
    expect(root.querySelector('parsererror')).toBeNull();
    const drawn = cells(root);
    expect(drawn).toHaveLength(12);
    drawn.forEach((rect, i) => expect(rect.getAttribute('fill')).toBe(colour(values[i]!)));
    // Row-major: the cell right of the first is column 1, the one below is row 1.
    const [first, second, below] = [drawn[0]!, drawn[1]!, drawn[4]!];
    expect(Number(second.getAttribute('x'))).toBeGreaterThan(Number(first.getAttribute('x')));
    expect(below.getAttribute('x')).toBe(first.getAttribute('x'));
    expect(Number(below.getAttribute('y'))).toBeGreaterThan(Number(first.getAttribute('y')));
    const texts = [...root.querySelectorAll('text')].map((t) => t.textContent);
    expect(texts).toContain('a <b> & c');
    expect(texts).toContain('<r2>');
    for (let i = 0; i < 12; i++) expect(texts).toContain(String(i));
    // The document is as large as what it draws.
    const width = Number(root.getAttribute('width'));
    for (const rect of drawn)
      expect(Number(rect.getAttribute('x')) + Number(rect.getAttribute('width'))).toBeLessThanOrEqual(width);
  });

  it("draws one head of a layer: that head's weights, on the views' square-root scale, tokens on both axes", () => {
    const layer = selfAttention(['the', 'cat'], 2, [1, 0, 0.5, 0.5, 0.25, 0.75, 0.09, 0.91]);
    const drawn = cells(parse(headFigureSvg(layer, 1)));
    expect(drawn.map((rect) => rect.getAttribute('fill'))).toEqual(
      [0.25, 0.75, 0.09, 0.91].map((w) => colour(Math.sqrt(Math.fround(w)))),
    );
    expect(drawn[1]!.querySelector('title')!.textContent).toBe('the → cat: 0.75');
  });

  it('shades each token of a strip by its share of the largest weight', () => {
    const root = parse(tokenStripSvg('Rollout', ['a', 'b', 'c'], [0.5, 0.25, 0.25]));
    expect([...root.querySelectorAll('rect[fill-opacity]')].map((r) => r.getAttribute('fill-opacity'))).toEqual([
      '1.000',
      '0.500',
      '0.500',
    ]);
  });

  it('puts the input image under a cell per gate value, at the chosen opacity', () => {
    const root = parse(
      imageOverlaySvg({
        title: 'cbam1',
        imageHref: 'data:image/png;base64,AAAA',
        width: 32,
        height: 32,
        gate: { rows: 2, columns: 3, weights: [0, 0.2, 0.4, 0.6, 0.8, 1] },
        opacity: 0.4,
      }),
    );
    expect(root.querySelector('image')!.getAttribute('href')).toBe('data:image/png;base64,AAAA');
    const group = root.querySelector('g[fill-opacity]')!;
    expect(group.getAttribute('fill-opacity')).toBe('0.4');
    expect([...group.querySelectorAll('rect')].map((r) => r.getAttribute('fill'))).toEqual(
      [0, 0.2, 0.4, 0.6, 0.8, 1].map(colour),
    );
  });

  it('draws each probability as a bar as long as its share of the full width, with its percentage', () => {
    const root = parse(
      probabilityBarsSvg('Class probabilities', [
        { label: 'sport', value: 0.75 },
        { label: 'politics', value: 0.25 },
      ]),
    );
    const { bar, track } = paperColours();
    const bars = [...root.querySelectorAll(`rect[fill="${bar}"]`)].map((r) => Number(r.getAttribute('width')));
    const tracks = [...root.querySelectorAll(`rect[fill="${track}"]`)].map((r) => Number(r.getAttribute('width')));
    expect(bars).toEqual([0.75 * tracks[0]!, 0.25 * tracks[1]!]);
    expect([...root.querySelectorAll('text')].map((t) => t.textContent)).toEqual(
      expect.arrayContaining(['sport', 'politics', '75.0%', '25.0%']),
    );
  });

  it('draws the lines view with one line per weight shown and every token', () => {
    const layer = selfAttention(['x', 'y'], 1, [0.5, 0.5, 1, 0]);
    const lines = [
      { y1: 18, y2: 18, colour: '#38bdf8', opacity: 0.5 },
      { y1: 18, y2: 36, colour: '#38bdf8', opacity: 0.5 },
      { y1: 36, y2: 18, colour: '#38bdf8', opacity: 1 },
    ];
    const root = parse(linesFigureSvg(layer, lines, { left: 130, right: 290, width: 420, height: 60, row: 18 }));
    expect([...root.querySelectorAll('line')].map((l) => l.getAttribute('stroke-opacity'))).toEqual([
      '0.500',
      '0.500',
      '1.000',
    ]);
    expect([...root.querySelectorAll('text')].map((t) => t.textContent)).toEqual(['encoder1', 'x', 'y', 'x', 'y']);
  });

  it("redraws a chart as vector SVG on paper, the dark theme's colours turned to the light theme's", () => {
    const style = document.createElement('style');
    style.textContent = readFileSync('src/renderer/src/theme/theme.css', 'utf8');
    document.head.append(style);
    const [dark, light] = [themeColours('dark'), themeColours('light')];
    expect(dark.text).not.toBe(light.text);
    const shown = init(null, 'dark', { renderer: 'svg', ssr: true, width: 480, height: 300 });
    shown.setOption({
      animation: false,
      color: dark.series,
      legend: { textStyle: { color: dark.text } },
      xAxis: { type: 'value' },
      yAxis: { type: 'value', splitLine: { lineStyle: { color: dark.grid } } },
      series: [
        {
          name: 'train loss',
          type: 'line',
          data: [
            [0, 2],
            [1, 1.5],
            [2, 0.9],
          ],
        },
      ],
    });
    const svg = echartFigure('loss', () => shown).svg();
    shown.dispose();
    style.remove();
    const root = parse(svg);
    expect(root.getAttribute('width')).toBe('480');
    expect(root.querySelector('rect')!.getAttribute('fill')).toBe(light.surface);
    const legend = [...root.querySelectorAll('text')].find((t) => t.textContent === 'train loss')!;
    expect(legend.getAttribute('fill')).toBe(light.text);
    const strokes = [...root.querySelectorAll('path')].map((p) => p.getAttribute('stroke'));
    expect(strokes).toContain(light.grid);
    expect(strokes).toContain(light.series[0]);
    expect(strokes).not.toContain(dark.series[0]);
    expect(() => echartFigure('none', () => null).svg()).toThrow('the chart is not drawn yet');
  });

  it('keeps an SVG well-formed XML when class names hold control characters (and the text readable)', () => {
    // XML 1.0's Char production: tab, newline, carriage return, and U+0020 upwards but the surrogates, FFFE, FFFF.
    const xmlChars = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
    const names = ['spam\u0000', 'ham\u001b[31m', 'bell\u0007\u0085', 'lone \ud800 surrogate'];
    const svg = heatmapSvg({
      title: 'confusion \u0001matrix',
      rowLabels: names,
      columnLabels: names,
      values: Array.from({ length: 16 }, (_, i) => i),
      rows: 4,
      columns: 4,
      shade: (v) => v / 15,
      barLabel: (t) => t.toFixed(1),
    });
    expect(svg).toMatch(xmlChars);
    const root = parse(svg);
    expect(root.querySelector('parsererror')).toBeNull();
    const texts = [...root.querySelectorAll('text')].map((t) => t.textContent);
    expect(texts).toEqual(expect.arrayContaining(['spam', 'ham[31m', 'bell', 'lone  surrogate']));

    const element = document.createElement('div');
    Object.defineProperty(element, 'clientWidth', { value: 480 });
    Object.defineProperty(element, 'clientHeight', { value: 300 });
    const shown = init(element, undefined, { renderer: 'svg', width: 480, height: 300 });
    shown.setOption({
      animation: false,
      legend: {},
      xAxis: { type: 'category', data: names },
      yAxis: { type: 'value' },
      series: [{ name: 'class \u0002accuracy', type: 'line', data: [1, 2, 3, 4] }],
    });
    const chart = echartFigure('per class', () => shown).svg();
    shown.dispose();
    // (happy-dom's XML parser cannot read ECharts' CDATA style block, so the chart is checked by its characters.)
    expect(chart).toMatch(xmlChars);
    expect(chart).toContain('class accuracy');
  });
});
