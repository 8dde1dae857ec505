import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { seededRandom } from '../src/engine/data/split/seededRandom';

/** The made-up word of a rank: its number in base 26, written in letters (the word tokenizer keeps it whole). */
const wordOf = (rank: number): string => {
  let word = '';
  for (let n = rank; n > 0; n = Math.floor(n / 26)) word += String.fromCharCode(97 + (n % 26));
  return word || 'a';
};

/** Distinct words the synthetic corpus draws from. */
const WORDS = 200_000;

/**
 * A CSV of `megabytes` of reviews (text, label), the words drawn by Zipf's law (rank r with probability ~ 1/r) from
 * 200,000 made-up ones, as a natural language's are: a vocabulary pass meets a long tail of rare words.
 */
export async function writeCorpus(path: string, megabytes: number): Promise<number> {
  const random = seededRandom(megabytes);
  const out = createWriteStream(path);
  out.write('text,label\n');
  let [bytes, rows] = [0, 0];
  const labels = ['books', 'films', 'music', 'games'];
  while (bytes < megabytes * 1e6) {
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const length = 20 + Math.floor(random() * 160);
      const words = Array.from({ length }, () => wordOf(Math.floor(WORDS ** random())));
      lines.push(`"${words.join(' ')}, done.",${labels[rows++ % 4]}`);
    }
    const chunk = lines.join('\n') + '\n';
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/** `npm run import` on the file in a process of its own (each import's peak memory its own); its report line. */
function importWithCli(file: string, dataDir: string): { seconds: number; rate: number; mbs: number; peakMb: number } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/import.ts', file, '--max-tokens', '128'], {
    env: { ...process.env, WORKBENCH_DATA_DIR: dataDir, LANG: 'C' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = output.split('\n').find((l) => /texts\/s/.test(l))!;
  const [, seconds, rate, mbs, peak] = /([\d.]+) s, (\d+) texts\/s \(([\d.]+) MB\/s\), peak memory (\d+) MB/.exec(
    line,
  )!;
  for (const note of output.split('\n').filter((l) => l.startsWith('note:'))) console.log(`    ${note}`);
  return { seconds: Number(seconds), rate: Number(rate), mbs: Number(mbs), peakMb: Number(peak) };
}

/**
 * Big text files through `npm run import` as a user runs it: CSVs of 100 MB and 1 GB streamed into token-id shards
 * (two passes, tokenized on every core), with the seconds, texts/s, MB/s and the peak memory of each import.
 */
export async function textImport(sizes = [100, 1000]): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'bench-texts-'));
  try {
    console.log(`\nbig text files streamed into token-id shards (${availableParallelism()} cores):`);
    for (const megabytes of sizes) {
      const file = join(root, `reviews-${megabytes}mb.csv`);
      const rows = await writeCorpus(file, megabytes);
      const figures = importWithCli(file, join(root, 'data'));
      console.log(
        `  ${megabytes} MB CSV, ${rows} texts: ${figures.seconds.toFixed(1)} s, ${figures.rate} texts/s, ` +
          `${figures.mbs} MB/s, peak memory ${figures.peakMb} MB`,
      );
      await rm(file);
      await rm(join(root, 'data'), { recursive: true, force: true });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
