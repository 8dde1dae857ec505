import type { Task } from './spec/modelSpec';

/** What the app shows about a dataset before loading it. */
export interface DatasetSummary {
  id: string;
  name: string;
  task: Task;
  description: string;
  /** Where the data comes from and under which licence. */
  source: string;
  classNames: string[];
  examples: number;
}
