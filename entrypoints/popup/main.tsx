import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ReportPagePopup } from '@/components/ReportPagePopup';
import { extensionApi } from '@/lib/pages/extension-api';
import '@/components/styles.css';

const api = extensionApi(browser);
addEventListener('online', () => void api.networkIsBack());
render(<ReportPagePopup api={api} />, document.getElementById('app')!);
