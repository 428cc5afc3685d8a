import { render } from 'preact';
import { browser } from 'wxt/browser';
import { LANGUAGE_KEY, startLanguage, t } from '@/lib/i18n';
import { WelcomePage } from '@/components/WelcomePage';
import { extensionApi } from '@/extension/pages/api';
import '@/components/styles.css';

startLanguage(document.documentElement, localStorage.getItem(LANGUAGE_KEY), navigator.languages, 'other');
document.title = `${t('welcome.title')}`;

render(<WelcomePage api={extensionApi(browser)} />, document.getElementById('app')!);
