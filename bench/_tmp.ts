import { textImport } from './textImport';
await textImport([100, 1000]);
