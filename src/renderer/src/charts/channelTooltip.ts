/** One hovered channel of the channel-gate bars, as the tooltip gets it from ECharts (trigger 'axis'). */
export interface HoveredBar {
  dataIndex: number;
  seriesName: string;
  value: number;
}

/**
 * The tooltip of the channel-gate bars: which channel (its index, as the model numbers it) and each block's gate
 * for it. The x axis has no labels (a block has up to hundreds of channels), so the index is said here.
 */
export function channelTooltip(bars: readonly HoveredBar[], channelWord: string): string {
  const first = bars[0];
  if (!first) return '';
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const lines = bars.map((bar) => `${escape(bar.seriesName)}: ${Number(bar.value).toFixed(3)}`);
  return [`${escape(channelWord)} ${first.dataIndex}`, ...lines].join('<br/>');
}
