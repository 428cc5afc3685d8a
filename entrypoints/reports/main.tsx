import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ReportsPage } from '@/components/ReportsPage';
import { extensionApi } from '@/lib/pages/extension-api';
import '@/components/styles.css';

const api = extensionApi(browser);
addEventListener('online', () => void api.networkIsBack());
render(<ReportsPage api={api} />, document.getElementById('app')!);
