import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8's full garbage collection, callable without starting the process with --expose-gc (the flag set at run time
 * takes effect for contexts made after it). For a process whose garbage is mostly buffers outside the JavaScript
 * heap: V8 lets those pile up to its external-memory limit (tens of MB) before it collects, when the heap itself
 * barely grows.
 */
export function fullGarbageCollection(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
