import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { Figure } from './saveFigure';
import { documentSafe } from '../../../shared/controlCharacters';

use([SVGRenderer]);

/** The app's dark-theme colours and what a figure on white paper uses instead. */
const ON_PAPER: Record<string, string> = {
  '#cbd5e1': '#0f172a',
  '#94a3b8': '#334155',
  '#334155': '#e2e8f0',
  '#1e293b': '#e2e8f0',
};

function onPaper(value: unknown): unknown {
  if (typeof value === 'string') return ON_PAPER[value.toLowerCase()] ?? value;
  if (Array.isArray(value)) return value.map(onPaper);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, onPaper(inner)]));
  }
  return value;
}

/**
 * A chart as a figure: drawn again by ECharts' SVG renderer in the light theme on white, at the size it has on
 * screen, so the SVG is vector (lines, text) and the PNG is the same picture at 3x.
 */
export function echartFigure(name: string, chart: () => ECharts | null): Figure {
  const svg = () => {
    const shown = chart();
    if (!shown) throw new Error('the chart is not drawn yet');
    const copy = init(null, undefined, {
      renderer: 'svg',
      ssr: true,
      width: Math.max(320, shown.getWidth()),
      height: Math.max(200, shown.getHeight()),
    });
    try {
      // getOption also returns the dark theme's defaults (objects per component kind) and every kind as an empty
      // array: the copy keeps the components the chart has (non-empty arrays) and the plain settings.
      const used = Object.entries(shown.getOption()).filter(([, value]) =>
        Array.isArray(value) ? value.length > 0 : typeof value !== 'object',
      );
      copy.setOption({
        ...(onPaper(Object.fromEntries(used)) as EChartsCoreOption),
        backgroundColor: '#ffffff',
        animation: false,
      });
      // ECharts escapes markup in labels but keeps control characters, which make an SVG ill-formed XML.
      return documentSafe(copy.renderToSVGString());
    } finally {
      copy.dispose();
    }
  };
  return { name, svg };
}
