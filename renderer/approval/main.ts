import { mount } from 'svelte';
import { i18n } from '../lib/i18n.svelte.js';
import '../styles/base.css';
import ApprovalPage from './ApprovalPage.svelte';
import { approvalClient } from './approval-client.js';

// The approval surface's page (renderer/approve.html): shown in Electron's approval window or,
// under the browser host, at the one-time /approve/<token> address. It shares no state with the
// main window.
i18n.language = navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
document.documentElement.lang = i18n.language;
if (matchMedia('(prefers-color-scheme: dark)').matches) document.documentElement.dataset.theme = 'dark';
mount(ApprovalPage, { target: document.getElementById('approval')!, props: { client: approvalClient() } });
