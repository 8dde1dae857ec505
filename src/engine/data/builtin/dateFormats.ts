import type { Seq2seqData } from '../datasetTypes';
import { seededRandom } from '../split/seededRandom';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const CHINESE_DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

const pad2 = (n: number) => String(n).padStart(2, '0');
const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;
const chineseYear = (year: number) => [...String(year)].map((d) => CHINESE_DIGITS[Number(d)]).join('');

/** The ways people write one date, in English and Chinese. */
const FORMATS: ((y: number, m: number, d: number, weekday: number) => string)[] = [
  (y, m, d) => `${d} ${MONTHS[m - 1]!.slice(0, 3)} ${y}`,
  (y, m, d) => `${MONTHS[m - 1]} ${d}, ${y}`,
  (y, m, d) => `${d} ${MONTHS[m - 1]} ${y}`,
  (y, m, d) => `${MONTHS[m - 1]!.slice(0, 3).toLowerCase()} ${ordinal(d)} ${y}`,
  (y, m, d, w) => `${DAYS[w]}, ${MONTHS[m - 1]} ${d}, ${y}`,
  (y, m, d) => `${m}/${d}/${y}`,
  (y, m, d) => `${pad2(d)}.${pad2(m)}.${y}`,
  (y, m, d) => `${y}/${m}/${d}`,
  (y, m, d) => `the ${ordinal(d)} of ${MONTHS[m - 1]} ${y}`,
  (y, m, d) => `${y}年${m}月${d}日`,
  (y, m, d) => `${chineseYear(y)}年${m}月${d}日`,
  (y, m, d, w) => `${y}年${m}月${d}日 星期${'一二三四五六日'[w]}`,
];

/**
 * Dates written in a dozen human formats, English and Chinese ("23 Nov 2026", "2026年11月23日", "11/23/2026"), to be
 * translated into ISO 8601 ("2026-11-23"): a character-level seq2seq task whose cross-attention has a readable right
 * answer (the year digits look at the year). Years 1950-2049, generated with a fixed seed.
 */
export function generateDateFormats(count = 6000, seed = 3): Seq2seqData {
  const random = seededRandom(seed);
  const sources: string[] = [];
  const targets: string[] = [];
  const dayMs = 86_400_000;
  const start = Date.UTC(1950, 0, 1);
  const days = (Date.UTC(2050, 0, 1) - start) / dayMs;
  for (let i = 0; i < count; i++) {
    const date = new Date(start + Math.floor(random() * days) * dayMs);
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const weekday = (date.getUTCDay() + 6) % 7; // Monday first
    sources.push(FORMATS[Math.floor(random() * FORMATS.length)]!(y, m, d, weekday));
    targets.push(`${y}-${pad2(m)}-${pad2(d)}`);
  }
  return { kind: 'seq2seq', sources, targets, tokenizer: 'char' };
}
