import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { classScores, confusionMatrix, summaryScores } from '../../shared/evaluation/classificationScores';
import { entityScores } from '../../shared/evaluation/entityScores';
import type { Mistake, RunEvaluation } from '../../shared/evaluation/runEvaluation';
import { corpusBleu, corpusChrF } from '../../shared/evaluation/translationScores';
import type { PreparedDataset } from '../data/preparedDataset';
import { greedyDecode } from '../decode/seq2seqDecoding';
import { batchesInOrder } from './evaluate';

const MAX_MISTAKES = 200;

/** The test split's rows, batch by batch, with the model's predicted class ids and the targets, read back. */
async function* predictions(model: LayersModel, data: PreparedDataset, batchSize: number) {
  for (const rows of batchesInOrder(data.counts.test, batchSize)) {
    const batch = data.batch('test', rows);
    try {
      if (data.decoding) {
        const decoded = await greedyDecode(model, batch.inputs[0] as tf.Tensor2D, data.decoding);
        yield { rows, predicted: decoded, targets: (await batch.targets.array()) as number[][] };
      } else {
        const ids = tf.tidy(() => tf.argMax(model.apply(batch.inputs, { training: false }) as tf.Tensor, -1));
        const predicted = (await ids.array()) as number[] | number[][];
        ids.dispose();
        yield { rows, predicted, targets: (await batch.targets.array()) as number[] | number[][] };
      }
    } finally {
      tf.dispose([...batch.inputs, batch.targets]);
    }
  }
}

/**
 * The model's test-split report: confusion matrix and per-class scores (classification; per real token for
 * tagging, plus entity-level F1), or exact match, BLEU and chrF of greedy decoding (seq2seq), and the examples it
 * got wrong with their text, target and prediction.
 */
export async function evaluateRun(
  model: LayersModel,
  data: PreparedDataset,
  batchSize: number,
): Promise<RunEvaluation> {
  const classes = data.classNames.length;
  const [truth, guessed]: [number[], number[]] = [[], []];
  const [trueTags, predictedTags]: [string[][], string[][]] = [[], []];
  const [hypotheses, references]: [string[], string[]] = [[], []];
  const mistakes: Mistake[] = [];
  let exact = 0;
  const text = (row: number) => Object.values(data.view('test', row).tokens)[0]?.join(' ') ?? '';
  for await (const { rows, predicted, targets } of predictions(model, data, batchSize)) {
    rows.forEach((row, i) => {
      const target = targets[i]!;
      const prediction = predicted[i]!;
      let wrong: Omit<Mistake, 'row' | 'text'> | null = null;
      if (data.decoding) {
        const expected = (target as number[]).slice(0, (target as number[]).indexOf(data.decoding.eos));
        const tokens = prediction as number[];
        const same = tokens.length === expected.length && tokens.every((id, t) => id === expected[t]);
        if (same) exact++;
        hypotheses.push(data.showPrediction(tokens));
        references.push(data.view('test', row).target);
        if (!same) wrong = { target: references.at(-1)!, predicted: hypotheses.at(-1)! };
      } else if (data.sequenceOutput) {
        const real = (target as number[]).flatMap((id, t) => (id === 0 ? [] : [t]));
        const [want, got] = [real.map((t) => (target as number[])[t]!), real.map((t) => (prediction as number[])[t]!)];
        truth.push(...want);
        guessed.push(...got);
        trueTags.push(want.map((id) => data.classNames[id]!));
        predictedTags.push(got.map((id) => data.classNames[id] ?? 'O'));
        if (want.some((id, t) => id !== got[t]))
          wrong = { target: trueTags.at(-1)!.join(' '), predicted: predictedTags.at(-1)!.join(' ') };
      } else {
        const [want, got] = [target as number, prediction as number];
        truth.push(want);
        guessed.push(got);
        if (want !== got) {
          wrong = {
            target: data.classNames[want]!,
            predicted: data.classNames[got] ?? String(got),
            trueClass: want,
            predictedClass: got,
          };
        }
      }
      if (wrong && mistakes.length < MAX_MISTAKES) mistakes.push({ row, text: text(row), ...wrong });
    });
  }
  const examples = data.counts.test;
  if (data.decoding) {
    const exactMatch = examples === 0 ? 0 : exact / examples;
    return {
      task: data.task,
      examples,
      classNames: [],
      confusion: null,
      classes: null,
      accuracy: exactMatch,
      macroF1: null,
      translation: { exactMatch, bleu: corpusBleu(hypotheses, references), chrF: corpusChrF(hypotheses, references) },
      mistakes,
    };
  }
  const confusion = confusionMatrix(truth, guessed, classes);
  const summary = summaryScores(confusion);
  return {
    task: data.task,
    examples,
    classNames: data.classNames,
    confusion,
    classes: classScores(confusion),
    ...summary,
    ...(data.sequenceOutput ? { entities: entityScores(trueTags, predictedTags) } : {}),
    mistakes,
  };
}
