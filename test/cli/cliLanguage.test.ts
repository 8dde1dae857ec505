import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { terminalLanguage } from '../../src/cli/cliLanguage';
import { formatEvent } from '../../src/cli/formatEvent';
import { formatRunList } from '../../src/cli/listRuns';
import { createTranslator } from '../../src/shared/i18n/translator';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { findPreset } from '../../src/shared/architecture/presets';
import type { RunRecord } from '../../src/shared/runs';

describe("the CLI's language", () => {
  it('follows LC_ALL, then LC_MESSAGES, then LANG, in English unless Chinese is asked for', () => {
    expect(terminalLanguage({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(terminalLanguage({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(terminalLanguage({ LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'en_GB.UTF-8' })).toBe('zh-CN');
    expect(terminalLanguage({ LANG: 'C.UTF-8' })).toBe('en');
    expect(terminalLanguage({})).toBe('en');
  });

  it('writes an epoch line and a run list in Chinese, with the same figures as in English', () => {
    const event = {
      type: 'epoch',
      runId: 'r',
      epoch: 2,
      loss: 0.51234,
      accuracy: 0.8,
      valLoss: 0.6,
      valAccuracy: 0.755,
      seconds: 3.21,
      learningRate: 0.001,
    } as const;
    const english = formatEvent(event, createTranslator('en'))!;
    const chinese = formatEvent(event, createTranslator('zh-CN'))!;
    expect(english).toBe('epoch 2: loss 0.5123 accuracy 80.0% | val loss 0.6000 val accuracy 75.5% | 3.2 s');
    expect(chinese).toBe('第 2 轮：损失 0.5123 准确率 80.0% | 验证损失 0.6000 验证准确率 75.5% | 3.2 秒');

    const preset = findPreset('transformer-text')!;
    const run: RunRecord = {
      id: '20261204T101500-a1b2c3',
      createdAt: '2026-12-04T10:15:00.000Z',
      updatedAt: '2026-12-04T10:15:00.000Z',
      status: 'completed',
      datasetId: 'keyword-topics',
      presetId: preset.id,
      spec: preset.spec,
      hyperParams: hyperParamsSchema.parse({}),
    };
    const [header, row] = formatRunList([run], [], createTranslator('zh-CN')).split('\n');
    expect(header!.split(/\s{2,}/)).toEqual([
      '训练记录',
      '状态',
      '数据集',
      '网络结构',
      '后端',
      '最佳验证准确率',
      '测试准确率',
      '耗时',
      '来源',
    ]);
    expect(row).toContain('已完成');
    // Aligned as a terminal draws them, a Chinese character two cells wide: each column starts where its header does.
    const starts = (line: string) => {
      const cells: number[] = [];
      let column = 0;
      let previousSpace = true;
      for (const character of line) {
        if (character !== ' ' && previousSpace) cells.push(column);
        previousSpace = character === ' ';
        column += stringWidth(character);
      }
      return cells;
    };
    expect(starts(row!).slice(0, 4)).toEqual(starts(header!).slice(0, 4));
  });
});
