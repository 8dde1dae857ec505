export function electronZipName(version: string, platform?: string, arch?: string): string;
export function explainMissingElectron(options: {
  reason: string;
  version: string;
  platform?: string;
  arch?: string;
}): string[];
export function explainNoDisplay(): string[];
