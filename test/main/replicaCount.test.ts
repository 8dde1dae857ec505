import { describe, expect, it } from 'vitest';
import { withReplicaCount } from '../../src/main/training/replicaCount';
import { hyperParamsSchema, type HyperParamsInput } from '../../src/shared/hyperParams';
import type { RunPlan } from '../../src/shared/runPlan';
import { findPreset } from '../../src/shared/architecture/presets';

const plan = (recipe: HyperParamsInput): RunPlan => ({
  runId: 'r',
  datasetId: 'keyword-topics',
  presetId: 'transformer-text',
  spec: findPreset('transformer-text')!.spec,
  hyperParams: hyperParamsSchema.parse(recipe),
});

describe('how many replicas a run trains with', () => {
  it('takes one per core when the recipe says 0, never more than the batch has examples', () => {
    expect(withReplicaCount(plan({}), 'wasm', 8).hyperParams.replicas).toBe(8);
    expect(withReplicaCount(plan({ batchSize: 3 }), 'wasm', 8).hyperParams.replicas).toBe(3);
    expect(withReplicaCount(plan({}), 'cpu', 1).hyperParams.replicas).toBe(1);
  });

  it("keeps the recipe's number up to the machine's cores", () => {
    expect(withReplicaCount(plan({ replicas: 1 }), 'wasm', 8).hyperParams.replicas).toBe(1);
    const given = plan({ replicas: 3 });
    expect(withReplicaCount(given, 'wasm', 4)).toBe(given);
    // 64 threads asked of a 2-core machine (a request may say anything the schema allows): 2, each with its copy.
    expect(withReplicaCount(plan({ replicas: 64 }), 'wasm', 2).hyperParams.replicas).toBe(2);
  });

  it('trains on one replica where the backend already uses every core or the GPU', () => {
    for (const backend of ['tfjs-node', 'tfjs-node-gpu', 'webgpu'] as const) {
      expect(withReplicaCount(plan({}), backend, 8).hyperParams.replicas).toBe(1);
      expect(withReplicaCount(plan({ replicas: 4 }), backend, 8).hyperParams.replicas).toBe(1);
    }
  });

  it('refuses a count the schema does not allow', () => {
    expect(hyperParamsSchema.safeParse({ replicas: -1 }).success).toBe(false);
    expect(hyperParamsSchema.safeParse({ replicas: 1.5 }).success).toBe(false);
    expect(hyperParamsSchema.safeParse({ replicas: 65 }).success).toBe(false);
  });
});
