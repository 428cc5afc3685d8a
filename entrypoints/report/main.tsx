import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ReportFormPage } from '@/components/report-form/ReportFormPage';
import { LANGUAGE_KEY, startLanguage } from '@/lib/i18n';
import { extensionFormApi } from './form-api';
import '@/components/styles.css';
import '@/components/report-form/report-form.css';

startLanguage(document.documentElement, localStorage.getItem(LANGUAGE_KEY), navigator.languages, 'form');

const draftId = new URLSearchParams(location.search).get('draft') ?? '';
const client = { app: 'ohr-extension', version: browser.runtime.getManifest().version };
render(
  <ReportFormPage
    api={extensionFormApi(browser, client)}
    draftId={draftId}
    client={client}
    rememberLanguage={(tag) => localStorage.setItem(LANGUAGE_KEY, tag)}
  />,
  document.getElementById('app')!,
);
