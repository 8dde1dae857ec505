/** Precision, recall and F1 of one class, and how many examples truly belong to it. */
export interface ClassScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** counts[true][predicted]: how often each class was predicted as each class. */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) matrix[truth[i]!]![predicted[i]!]!++;
  return matrix;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Per class, from the confusion matrix, as scikit-learn's classification_report computes them (0 when undefined). */
export function classScores(matrix: readonly number[][]): ClassScore[] {
  return matrix.map((row, c) => {
    const truePositives = row[c]!;
    const support = row.reduce((sum, n) => sum + n, 0);
    const predictedAs = matrix.reduce((sum, other) => sum + other[c]!, 0);
    const precision = ratio(truePositives, predictedAs);
    const recall = ratio(truePositives, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
}

/** Accuracy and the unweighted mean F1 over the classes that occur (in truth or in prediction). */
export function summaryScores(matrix: readonly number[][]): { accuracy: number; macroF1: number } {
  const total = matrix.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  const correct = matrix.reduce((sum, row, c) => sum + row[c]!, 0);
  const scores = classScores(matrix);
  const present = scores.filter((score, c) => score.support > 0 || matrix.some((row) => row[c]! > 0));
  return {
    accuracy: ratio(correct, total),
    macroF1: ratio(
      present.reduce((sum, s) => sum + s.f1, 0),
      present.length,
    ),
  };
}
