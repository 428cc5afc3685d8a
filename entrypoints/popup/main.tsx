import { render } from 'preact';
import { browser } from 'wxt/browser';
import { LANGUAGE_KEY, startLanguage } from '@/lib/i18n';
import { ReportPagePopup } from '@/components/ReportPagePopup';
import { extensionApi } from '@/extension/pages/api';
import '@/components/styles.css';

startLanguage(document.documentElement, localStorage.getItem(LANGUAGE_KEY), navigator.languages, 'other');

const api = extensionApi(browser, { popup: true });
addEventListener('online', () => void api.networkIsBack());
render(<ReportPagePopup api={api} />, document.getElementById('app')!);
