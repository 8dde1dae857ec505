import { describe, expect, it } from 'vitest';
import { analyzeSpec } from '../../src/shared/architecture/analyzeSpec';
import { fullyConnectedBaseline } from '../../src/shared/architecture/fullyConnectedBaseline';
import { findPreset } from '../../src/shared/architecture/presets';

describe('the fully connected baseline matched to an attention model', () => {
  for (const [preset, classes] of [
    ['conv-attention-image', 10],
    ['transformer-text', 3],
    ['cnn-lstm-text', 2],
    ['transformer-tagger', 9],
  ] as const) {
    it(`${preset}: a valid graph of the same task whose weights are the closest a hidden width gives`, () => {
      const spec = findPreset(preset)!.spec;
      const baseline = fullyConnectedBaseline(spec, { classes });
      const analysis = analyzeSpec(baseline.spec, { classes });
      expect(analysis.issues).toEqual([]);
      expect(baseline.spec.task).toBe(spec.task);
      expect(baseline.spec.inputs).toEqual([spec.inputs[0]]);
      expect(baseline.spec.nodes.some((n) => /attention|transformer|cbam|lstm|gru|conv/i.test(n.op))).toBe(false);
      expect(baseline.target).toBe(analyzeSpec(spec, { classes }).totalParams);
      expect(analysis.totalParams).toBe(baseline.weights);
      // One unit more or less would be further from the target (each unit adds the same number of weights).
      const step = Math.abs(
        analyzeSpec(fullyConnectedBaseline(spec, { classes }).spec, { classes }).totalParams - baseline.target,
      );
      const widths = (hidden: number) => {
        const other = structuredClone(baseline.spec);
        other.nodes.find((n) => n.id === 'hidden1')!.params['units'] = hidden;
        return Math.abs(analyzeSpec(other, { classes }).totalParams - baseline.target);
      };
      expect(step).toBeLessThanOrEqual(widths(baseline.hidden + 1));
      if (baseline.hidden > 1) expect(step).toBeLessThanOrEqual(widths(baseline.hidden - 1));
    });
  }

  it('refuses seq2seq, saying why', () => {
    expect(() => fullyConnectedBaseline(findPreset('transformer-seq2seq')!.spec, { classes: 40 })).toThrow(
      'seq2seq has no baseline here',
    );
  });
});
