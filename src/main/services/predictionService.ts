import type { DecodedExample, Example, Prediction, PredictRequest } from '../../shared/prediction';
import { storedRunPlan } from '../runs/resumePlan';
import type { RunStore } from '../runs/runStore';
import type { TrainingSupervisor } from '../training/trainingSupervisor';

/** The image's base64 bytes decoded (the request schema has checked there are 4 per pixel). */
function decodeExample(example: Example): DecodedExample {
  if (example.kind !== 'image') return example;
  const bytes = Buffer.from(example.rgba, 'base64');
  return {
    kind: 'image',
    width: example.width,
    height: example.height,
    rgba: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}

/** The playground's questions: a stored run's plan, sent to the worker with the example. */
export async function predictWithRun(
  request: PredictRequest,
  runs: RunStore,
  supervisor: TrainingSupervisor,
): Promise<Prediction> {
  const run = await runs.record(request.runId);
  return supervisor.predict(
    storedRunPlan(run),
    decodeExample(request.example),
    request.beamWidth,
    request.lengthPenalty,
  );
}
