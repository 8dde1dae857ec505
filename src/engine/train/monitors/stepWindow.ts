import * as tf from '@tensorflow/tfjs-core';
import type { StepValues } from './trainingMonitor';

/** The tensors of one step, kept on the device until the window is read. */
export interface StepTensors {
  loss: tf.Scalar;
  correct: tf.Scalar;
  counted: tf.Scalar;
}

/**
 * The steps since the last read. Reading a value back from the device waits for the device (a GPU sync); the loop
 * reads its window once per progress interval instead of after every step, all steps' figures in one read.
 */
export class StepWindow {
  private tensors: tf.Scalar[] = [];
  private steps: Omit<StepValues, 'loss' | 'correct' | 'counted'>[] = [];
  private started = performance.now();

  constructor(
    private readonly intervalMs: number,
    /** Most steps held before a read: bounds what the window keeps on the device. */
    private readonly maxSteps = 256,
  ) {}

  add(step: Omit<StepValues, 'loss' | 'correct' | 'counted'>, tensors: StepTensors): void {
    this.steps.push(step);
    this.tensors.push(tensors.loss, tensors.correct, tensors.counted);
  }

  /** Whether the window should be read now: its interval has passed, it is full, or the epoch ends. */
  due(endOfEpoch: boolean): boolean {
    if (this.steps.length === 0) return false;
    return endOfEpoch || this.steps.length >= this.maxSteps || performance.now() - this.started >= this.intervalMs;
  }

  /** Reads every held step at once, frees their tensors, and starts a new window. */
  async read(): Promise<{ steps: StepValues[]; windowMs: number }> {
    const tensors = this.tensors;
    const steps = this.steps;
    const windowMs = performance.now() - this.started;
    [this.tensors, this.steps, this.started] = [[], [], performance.now()];
    if (steps.length === 0) return { steps: [], windowMs };
    const stacked = tf.stack(tensors);
    try {
      const values = await stacked.data();
      return {
        steps: steps.map((step, i) => ({
          ...step,
          loss: values[3 * i]!,
          correct: values[3 * i + 1]!,
          counted: values[3 * i + 2]!,
        })),
        windowMs,
      };
    } finally {
      stacked.dispose();
      tf.dispose(tensors);
    }
  }

  /** Frees what is held without reading it (the run ended). */
  dispose(): void {
    tf.dispose(this.tensors);
    [this.tensors, this.steps] = [[], []];
  }
}
