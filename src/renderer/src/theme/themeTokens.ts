import type { ThemeName } from './appearance';

/** The custom properties of theme.css that canvases, ECharts and figures need as plain colour strings. */
export interface ThemeColours {
  /** Chart labels and legends. */
  text: string;
  /** Body text. */
  ink: string;
  muted: string;
  /** The empty part of a bar. */
  track: string;
  grid: string;
  surface: string;
  background: string;
  accent: string;
  overlay: string;
  node: string;
  series: string[];
}

const SERIES = 8;

/**
 * Reads the tokens of a theme as the browser resolved them. A probe element carries `data-theme` so that the light
 * tokens can be read while the dark theme is shown (a figure is always drawn on paper). Outside a browser (unit
 * tests) every token reads as an empty string, which canvases and ECharts draw in their default colours.
 */
export function themeColours(theme?: ThemeName): ThemeColours {
  if (typeof document === 'undefined' || typeof getComputedStyle !== 'function') return emptyColours();
  const probe = document.createElement('span');
  probe.dataset['theme'] = theme ?? document.documentElement.dataset['theme'] ?? 'dark';
  probe.style.display = 'none';
  document.body.append(probe);
  try {
    const style = getComputedStyle(probe);
    const token = (name: string) => style.getPropertyValue(`--${name}`).trim();
    return {
      text: token('chart-text'),
      ink: token('text'),
      muted: token('text-muted'),
      track: token('surface-strong'),
      grid: token('chart-grid'),
      surface: token('surface'),
      background: token('bg'),
      accent: token('accent'),
      overlay: token('overlay'),
      node: token('border-strong'),
      series: Array.from({ length: SERIES }, (_, i) => token(`series-${i + 1}`)),
    };
  } finally {
    probe.remove();
  }
}

function emptyColours(): ThemeColours {
  return {
    text: '',
    ink: '',
    muted: '',
    track: '',
    grid: '',
    surface: '',
    background: '',
    accent: '',
    overlay: '',
    node: '',
    series: Array.from({ length: SERIES }, () => ''),
  };
}
