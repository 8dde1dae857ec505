import { hostname } from 'node:os';
import { processStart } from '../../engine/io/liveProcess';

/** This process as a run lock names its holder: its host and its start time (the pid alone may be reused). */
export const thisHost = hostname();
export const thisProcessStart = processStart(process.pid);
