import { KERNEL_REGISTRY } from '../src/registry';

/** The registry as the README's markdown table: one row per entry, in registration order. */
export function registryTable(): string {
  const rows = KERNEL_REGISTRY.map((entry) => {
    const kernels = [...entry.replaces.map((k) => `${k} (replaced)`), ...entry.adds.map((k) => `${k} (added)`)];
    const thresholds = Object.entries(entry.thresholds ?? {}).map(([name, value]) => `${name} = ${value}`);
    return `| ${entry.family} | ${kernels.join(', ')} | ${entry.takes} | ${thresholds.join(', ')} | \`${entry.test}\` |`;
  });
  return ['| family | kernels | takes | thresholds | test |', '|---|---|---|---|---|', ...rows].join('\n');
}
