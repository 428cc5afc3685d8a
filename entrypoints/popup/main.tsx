import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ReportPagePopup } from '@/components/ReportPagePopup';
import { extensionApi } from '@/lib/pages/extension-api';
import '@/components/styles.css';

render(<ReportPagePopup api={extensionApi(browser)} />, document.getElementById('app')!);
