import { render } from 'preact';
import { browser } from 'wxt/browser';
import { LANGUAGE_KEY, startLanguage } from '@/lib/i18n';
import { EndpointSettings } from '@/components/EndpointSettings';
import { extensionApi } from '@/extension/pages/api';
import '@/components/styles.css';

startLanguage(document.documentElement, localStorage.getItem(LANGUAGE_KEY), navigator.languages, 'other');

render(<EndpointSettings api={extensionApi(browser)} />, document.getElementById('app')!);
