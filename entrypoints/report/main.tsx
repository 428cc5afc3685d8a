import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ReportFormPage } from '@/components/report-form/ReportFormPage';
import { applyLanguage, setLanguage } from '@/lib/i18n';
import { extensionFormApi } from './form-api';
import '@/components/styles.css';
import '@/components/report-form/report-form.css';

/** A manual language choice, else the browser's preference. Only the language tag is kept, nothing about a report. */
const LANGUAGE_KEY = 'ohr-language';
const chosen = localStorage.getItem(LANGUAGE_KEY);
applyLanguage(document.documentElement, setLanguage(chosen ? [chosen] : navigator.languages));

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
