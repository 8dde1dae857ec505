import { trainingThroughput } from './trainingThroughput';

// npm run bench [-- backend]: prints figures; asserts nothing (speed is measured here, never in unit tests).
const backend = process.argv[2] ?? process.env['WORKBENCH_BACKEND'];
console.log = ((log) => (...args: unknown[]) => (String(args[0]).startsWith('Hi') ? undefined : log(...args)))(console.log);
await trainingThroughput(backend);
if (!backend) await trainingThroughput('cpu');
