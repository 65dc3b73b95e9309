import type { Language } from '../i18n/index.js';

/** The browser's language as one the app speaks: only the fallback, when a request carries none. */
export function browserLanguage(tag: string): Language {
  return tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
