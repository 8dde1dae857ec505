import { pickLanguage, type Language } from '../shared/i18n/languages';
import { createTranslator } from '../shared/i18n/translator';

/**
 * The language a terminal asks for: POSIX's LC_ALL, then LC_MESSAGES, then LANG ("zh_CN.UTF-8"); English when none
 * is set or it names a language the app does not speak ("C", "fr_FR").
 */
export function terminalLanguage(env: Record<string, string | undefined> = process.env): Language {
  const locale = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return pickLanguage([locale.replace('_', '-')]);
}

/** The CLI's translator, in the terminal's language. */
export const cliText = createTranslator(terminalLanguage());
