import type { Task } from '../architecture/modelSpec';
import type { ClassScore } from './classificationScores';
import type { EntityScores } from './entityScores';

/** An example of the test split the model got wrong, as the evaluation view lists it. */
export interface Mistake {
  /** Its row in the test split. */
  row: number;
  /** The input's text (its tokens), empty for images. */
  text: string;
  target: string;
  predicted: string;
  /** Classification: the true and the predicted class, to find it from a confusion-matrix cell. */
  trueClass?: number;
  predictedClass?: number;
}

/** How a trained model does on the test split, written beside the run when training ends. */
export interface RunEvaluation {
  task: Task;
  examples: number;
  classNames: string[];
  /** confusion[true][predicted]: examples, or real tokens for tagging; none for seq2seq (a vocabulary is too wide). */
  confusion: number[][] | null;
  classes: ClassScore[] | null;
  accuracy: number;
  macroF1: number | null;
  /** Tagging: entity-level scores, as seqeval counts spans. */
  entities?: EntityScores;
  /** Seq2seq: greedy decoding against the targets. */
  translation?: { exactMatch: number; bleu: number; chrF: number };
  /** The first wrong examples (at most 200). */
  mistakes: Mistake[];
}
