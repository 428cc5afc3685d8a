import { render } from 'preact';
import { browser } from 'wxt/browser';
import { EndpointSettings } from '@/components/EndpointSettings';
import { extensionApi } from '@/lib/pages/extension-api';
import '@/components/styles.css';

render(<EndpointSettings api={extensionApi(browser)} />, document.getElementById('app')!);
