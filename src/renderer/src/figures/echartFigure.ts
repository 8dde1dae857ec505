import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { Figure } from './saveFigure';
import { paperColours } from './paper';
import { activeTheme } from '../theme/appearance';
import { themeColours, type ThemeColours } from '../theme/themeTokens';
import { documentSafe } from '../../../shared/controlCharacters';

use([SVGRenderer]);

/**
 * Each colour of the shown theme and the light theme's colour for the same token: a chart drawn in the dark theme
 * goes on paper in the light one, series and grid alike.
 */
function paperTranslation(): Map<string, string> {
  const [shown, light] = [themeColours(activeTheme.value), themeColours('light')];
  const pairs = new Map<string, string>();
  for (const key of Object.keys(shown) as (keyof ThemeColours)[]) {
    const [from, to] = [shown[key], light[key]];
    if (Array.isArray(from) && Array.isArray(to)) from.forEach((colour, i) => colour && pairs.set(colour, to[i]!));
    else if (typeof from === 'string' && from && typeof to === 'string') pairs.set(from.toLowerCase(), to);
  }
  return pairs;
}

function onPaper(value: unknown, pairs: Map<string, string>): unknown {
  if (typeof value === 'string') return pairs.get(value.toLowerCase()) ?? value;
  if (Array.isArray(value)) return value.map((inner) => onPaper(inner, pairs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, onPaper(inner, pairs)]));
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
        ...(onPaper(Object.fromEntries(used), paperTranslation()) as EChartsCoreOption),
        backgroundColor: paperColours().page,
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
