import { createI18n } from 'vue-i18n';
import { MESSAGES, type Language, type Messages } from './languages';

/** Translates a key of the message files, with named values; a count picks a plural form ("one | many"). */
export type Translate = (key: string, named?: Record<string, unknown>, plural?: number) => string;

/** The vue-i18n instance over the message files: the window's (reactive locale) and the translators' below. */
export function createWorkbenchI18n(language: Language) {
  return createI18n<[Messages], Language, false>({
    legacy: false,
    locale: language,
    fallbackLocale: 'en',
    // Messages show <unk>, <run id> and <tab> as text; nothing renders them as HTML (no v-html), so no XSS risk.
    warnHtmlMessage: false,
    messages: MESSAGES,
  });
}

/**
 * A translator outside Vue (the native menus, the CLI's human output) over the same message files as the window.
 * vue-i18n's composer works without an app: only its message compiler and Vue's reactivity are used.
 */
export function createTranslator(language: Language): Translate {
  const { t } = createWorkbenchI18n(language).global;
  return (key, named = {}, plural) =>
    plural === undefined ? t(key, named) : t(key, named as Record<string, unknown>, plural);
}
