import { readFileSync } from 'node:fs';

/**
 * When a process started, as the kernel counts it (Linux: /proc/<pid>/stat's 22nd field, clock ticks since boot);
 * null where that cannot be read. With the pid it names one process: a pid reused by a later process has another
 * start time, so a lock left by a dead process is not mistaken for a live one's.
 */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether a process of this host with this pid (and, when known, start time) still runs. */
export function processAlive(pid: number, start: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as { code?: string }).code !== 'EPERM') return false;
  }
  if (start === null) return true;
  const now = processStart(pid);
  return now === null || now === start;
}
