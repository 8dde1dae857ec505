import { describe, expect, it } from 'vitest';
import { channelTooltip } from '../../../src/renderer/src/charts/channelTooltip';

describe('the channel-gate tooltip', () => {
  it("names the hovered channel's index and each block's gate for it, block names escaped", () => {
    const text = channelTooltip(
      [
        { dataIndex: 12, seriesName: 'cbam1', value: 0.53125 },
        { dataIndex: 12, seriesName: '<se>', value: 0.1 },
      ],
      'channel',
    );
    expect(text.split('<br/>')).toEqual(['channel 12', 'cbam1: 0.531', '&#60;se&#62;: 0.100']);
    expect(channelTooltip([], 'channel')).toBe('');
  });
});
