import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ReportsPage } from '@/components/ReportsPage';
import { extensionApi } from '@/lib/pages/extension-api';
import '@/components/styles.css';

render(<ReportsPage api={extensionApi(browser)} />, document.getElementById('app')!);
