import en from './en.json';
import zhCN from './zh-CN.json';

/** The languages the app speaks, each with its messages; English is the fallback for anything missing. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Messages = typeof en;

export const MESSAGES: Record<Language, Messages> = { en, 'zh-CN': zhCN };

/** What each language calls itself, for the language picker. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

/**
 * The language for a list of preferred locales (navigator.languages, Electron's preferred system languages, $LANG):
 * the first one the app speaks, English when none. Any Chinese asks for Simplified Chinese, the only one there is.
 */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const locale of preferred) {
    const lower = locale.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}
