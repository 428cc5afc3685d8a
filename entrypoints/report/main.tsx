import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ReportFormPage } from '@/components/report-form/ReportFormPage';
import { extensionClient } from '@/extension/client';
import { extensionFormApi } from '@/extension/pages/api';
import { LANGUAGE_KEY, startLanguage } from '@/lib/i18n';
import '@/components/styles.css';
import '@/components/report-form/report-form.css';

startLanguage(document.documentElement, localStorage.getItem(LANGUAGE_KEY), navigator.languages, 'form');

const draftId = new URLSearchParams(location.search).get('draft') ?? '';
render(
  <ReportFormPage
    api={extensionFormApi(browser)}
    draftId={draftId}
    client={extensionClient(browser)}
    rememberLanguage={(tag) => localStorage.setItem(LANGUAGE_KEY, tag)}
  />,
  document.getElementById('app')!,
);
