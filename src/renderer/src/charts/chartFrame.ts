/**
 * What every chart of the app shares: the page's own background, no animation (streaming data would replay it on
 * every update), and the legend across the top.
 */
export const CHART_FRAME = {
  backgroundColor: 'transparent',
  animation: false,
  legend: { top: 0, textStyle: { color: '#cbd5e1' } },
} as const;
