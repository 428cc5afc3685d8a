import { render } from 'preact';
import { browser } from 'wxt/browser';
import { LANGUAGE_KEY, startLanguage } from '@/lib/i18n';
import { ReportsPage } from '@/components/ReportsPage';
import { extensionApi } from '@/extension/pages/api';
import '@/components/styles.css';

startLanguage(document.documentElement, localStorage.getItem(LANGUAGE_KEY), navigator.languages, 'other');

const api = extensionApi(browser);
addEventListener('online', () => void api.networkIsBack());
render(<ReportsPage api={api} />, document.getElementById('app')!);
