import type { ProcessIdentity } from '../../src/main/runs/runLock';

/**
 * An identity for a run store that plays another process inside the test's: a pid above any the kernel hands out
 * (Linux caps them at 2^22), so once the test stops using that store its locks read as a dead process's, as after
 * a crash or kill -9.
 */
export function playedProcess(n = 1): ProcessIdentity {
  return { pid: 2 ** 30 + n, processStart: `played-${n}` };
}
