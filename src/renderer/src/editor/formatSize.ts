/** 1234567 -> "1.23M": counts on nodes and in the summary bar. */
export function formatCount(value: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units)
    if (Math.abs(value) >= size) return `${(value / size).toPrecision(3).replace(/\.?0+$/, '')}${suffix}`;
  return String(Math.round(value));
}

/** Bytes in binary units: "54.2 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
