import { mount } from 'svelte';
import { i18n } from '../lib/i18n.svelte.js';
import '../styles/base.css';
import ApprovalPage from './ApprovalPage.svelte';
import { approvalClient } from './approval-client.js';
import type { Language } from '../i18n/index.js';
import { browserLanguage } from './page-language.js';

// The approval surface's page (renderer/approve.html): shown in Electron's approval window or,
// under the browser host, at the one-time /approve/<token> address. It shares no state with the
// main window.
// It speaks the household's language, which comes with the request (approval-client.ts): the page
// has no other way to learn Settings. Until the request is read, and when it carries none, the
// browser's language.
function speak(language: Language): void {
  i18n.language = language;
  document.documentElement.lang = language;
}
speak(browserLanguage(navigator.language));
if (matchMedia('(prefers-color-scheme: dark)').matches) document.documentElement.dataset.theme = 'dark';
mount(ApprovalPage, { target: document.getElementById('approval')!, props: { client: approvalClient(), speak } });
