/**
 * The all-reduce of data-parallel training between worker threads: every replica writes its gradient, weighted by
 * the examples (or target tokens) of its share of the batch, into its own slot of one SharedArrayBuffer, waits at a
 * barrier for the others, and sums the slots itself in rank order 0, 1, ..., N-1. Every replica does the same
 * additions in the same order, so each gets the same float32 result and applies the same update: the replicas never
 * drift. Slots are double-buffered by step parity, so one barrier a step suffices: a replica writing step k + 2's
 * gradient into the buffer of step k has passed step k + 1's barrier, which every replica reaches only after it has
 * read step k's slots.
 *
 * A step can carry a vote (allReduceMean's `vote`): set by any replica, seen by all after the same barrier, so a
 * stop asked of replica 0 ends every replica after the same step. The last replica to arrive at a barrier clears the
 * other parity's vote word, which every replica has read by then.
 *
 * A replica that dies would leave the others waiting: they wait in slices and give up, naming the reason, once the
 * coordinator raises the abort flag (abortExchange).
 */

const ARRIVED = 0;
const GENERATION = 1;
const ABORTED = 2;
/** Two vote words, by step parity: any replica's yes is every replica's (a stop the user asked replica 0 for). */
const VOTE = 3;
const CONTROL_INTS = 6;
/** How long a wait lasts before the abort flag is looked at again. */
const WAIT_SLICE_MS = 50;

export interface ExchangeShape {
  replicas: number;
  /** Floats each replica contributes a step (the gradient, then the step's figures). */
  length: number;
}

/** The shared memory of an exchange: control words, then 2 x N slots of `length` floats and a weight each. */
export function createExchangeBuffer({ replicas, length }: ExchangeShape): SharedArrayBuffer {
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`replicas must be a whole number >= 1: ${replicas}`);
  return new SharedArrayBuffer(CONTROL_INTS * 4 + 2 * replicas * (length + 1) * 4);
}

/** Tells every replica waiting at the barrier that a replica is gone; their exchange throws `reason`. */
export function abortExchange(buffer: SharedArrayBuffer): void {
  const control = new Int32Array(buffer, 0, CONTROL_INTS);
  Atomics.store(control, ABORTED, 1);
  Atomics.notify(control, GENERATION);
}

export class GradientExchange {
  private readonly control: Int32Array;
  private readonly slots: Float32Array;
  private readonly sum: Float64Array;
  private readonly mean: Float32Array;
  /** This replica's slot of each parity: where its values go. */
  private readonly ownSlots: Float32Array[];
  private step = 0;

  constructor(
    buffer: SharedArrayBuffer,
    private readonly shape: ExchangeShape,
    private readonly rank: number,
  ) {
    if (!(rank >= 0 && rank < shape.replicas)) throw new Error(`rank ${rank} is not one of ${shape.replicas} replicas`);
    this.control = new Int32Array(buffer, 0, CONTROL_INTS);
    this.slots = new Float32Array(buffer, CONTROL_INTS * 4);
    if (this.slots.length !== 2 * shape.replicas * (shape.length + 1))
      throw new Error('the exchange buffer has another shape');
    this.sum = new Float64Array(shape.length);
    this.mean = new Float32Array(shape.length);
    const stride = shape.length + 1;
    this.ownSlots = [0, 1].map((parity) => {
      const own = (parity * shape.replicas + rank) * stride;
      return this.slots.subarray(own, own + shape.length);
    });
  }

  /** The most floats one all-reduce takes. */
  get length(): number {
    return this.shape.length;
  }

  /**
   * This replica's slot for the next all-reduce, `length` floats of the shared buffer: a caller that has its values
   * in pieces (a gradient per weight) writes them here, then calls reduce, sparing a copy of the whole vector.
   */
  nextSlot(): Float32Array {
    return this.ownSlots[this.step % 2]!;
  }

  /**
   * The weighted mean over replicas of `values` (this replica's, for `weight` examples): sum_i weight_i values_i /
   * sum_i weight_i, the same array in every replica. A total weight of 0 gives zeros. Every replica passes as many
   * values (at most `length`); `vote` is true when any replica voted. The mean is valid until the next call.
   */
  allReduceMean(
    values: Float32Array,
    weight: number,
    vote = false,
  ): { mean: Float32Array; totalWeight: number; vote: boolean } {
    if (values.length > this.shape.length) {
      throw new Error(`expected at most ${this.shape.length} values, got ${values.length}`);
    }
    this.nextSlot().set(values);
    return this.reduce(values.length, weight, vote);
  }

  /** allReduceMean of the first `count` floats this replica wrote into nextSlot(). */
  reduce(count: number, weight: number, vote = false): { mean: Float32Array; totalWeight: number; vote: boolean } {
    const { replicas, length } = this.shape;
    if (count > length) throw new Error(`expected at most ${length} values, got ${count}`);
    const stride = length + 1;
    const parity = this.step++ % 2;
    const base = parity * replicas * stride;
    this.slots[base + this.rank * stride + length] = weight;
    if (vote) Atomics.or(this.control, VOTE + parity, 1);
    this.barrier(parity);
    const voted = Atomics.load(this.control, VOTE + parity) !== 0;
    // A share with no weight (no examples, or no real target tokens) adds nothing, not 0 x NaN.
    const shares: { at: number; weight: number }[] = [];
    let total = 0;
    for (let r = 0; r < replicas; r++) {
      const share = this.slots[base + r * stride + length]!;
      if (share > 0) shares.push({ at: base + r * stride, weight: share });
      if (share > 0) total += share;
    }
    const mean = this.mean.subarray(0, count);
    if (shares.length === 0) {
      mean.fill(0);
      return { mean, totalWeight: 0, vote: voted };
    }
    // Raw values weighted and summed in float64 in rank order, so the mean rounds once, as one replica's would; the
    // first share starts the sum and the last one ends it with the division (the same additions, fewer passes).
    const { slots, sum } = this;
    const last = shares.length - 1;
    for (let k = 0; k < last; k++) {
      const { at, weight: w } = shares[k]!;
      if (k === 0) for (let j = 0; j < count; j++) sum[j] = w * slots[at + j]!;
      else for (let j = 0; j < count; j++) sum[j] += w * slots[at + j]!;
    }
    const { at, weight: w } = shares[last]!;
    if (last === 0) for (let j = 0; j < count; j++) mean[j] = (w * slots[at + j]!) / total;
    else for (let j = 0; j < count; j++) mean[j] = (sum[j]! + w * slots[at + j]!) / total;
    return { mean, totalWeight: total, vote: voted };
  }

  /** Waits until every replica has arrived (a sense-reversing barrier on a generation counter). */
  private barrier(parity: number): void {
    const { control } = this;
    const generation = Atomics.load(control, GENERATION);
    if (Atomics.add(control, ARRIVED, 1) === this.shape.replicas - 1) {
      Atomics.store(control, ARRIVED, 0);
      // Every replica is here, so every one has read the previous step's vote.
      Atomics.store(control, VOTE + 1 - parity, 0);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      return;
    }
    while (Atomics.load(control, GENERATION) === generation) {
      if (Atomics.load(control, ABORTED)) throw new Error('a replica stopped: the others cannot go on without it');
      Atomics.wait(control, GENERATION, generation, WAIT_SLICE_MS);
    }
  }
}
