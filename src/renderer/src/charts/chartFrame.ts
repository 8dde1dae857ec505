import type { ThemeColours } from '../theme/themeTokens';

/**
 * What every chart of the app shares: the page's own background, no animation (streaming data would replay it on
 * every update), the legend across the top and the theme's text colour.
 */
export function chartFrame(colours: ThemeColours) {
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { color: colours.text },
    legend: { top: 0, textStyle: { color: colours.text } },
    color: colours.series,
  } as const;
}

/** The horizontal lines of a value axis, in the theme's grid colour. */
export const gridLines = (colours: ThemeColours) => ({ lineStyle: { color: colours.grid } });
