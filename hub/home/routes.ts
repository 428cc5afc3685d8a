/**
 * The hub's own public pages: `/`, the organisation's page with the report form, and `/privacy`, what the hub keeps
 * (linked from `/` unless the organisation sets `privacyPolicyUrl`). Both in English, Welsh or Arabic (the `lang`
 * query, else Accept-Language), with the status page's look and quick exit. Mounted before the API's middleware, like
 * the widget's and status pages, so they carry their own headers: scripts only from the hub (the widget and the quick
 * exit's Esc script), styles only from the hub, the form's requests only to the hub.
 */
import type { Context, Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { pickStatusLanguage, statusWords } from '../../lib/i18n/status';
import type { HubConfig } from '../config';
import { renderPage, type PageContext } from '../status/page';
import { HOME_PATH, HomePage, PRIVACY_PATH, PrivacyPage, type HomeSettings } from './page';

const headers = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
  crossOriginResourcePolicy: 'same-origin',
  strictTransportSecurity: false,
});

export type HomeConfig = Pick<HubConfig, 'name' | 'categories' | 'area' | 'acceptsAnonymous' | 'privacyPolicyUrl' | 'erasureWithdrawnDays' | 'erasureClosedMonths' | 'encryptionKey'>;

export function mountHome(app: Hono, config: HomeConfig): void {
  const settings: HomeSettings = {
    categories: config.categories,
    ...(config.area ? { area: config.area } : {}),
    acceptsAnonymous: config.acceptsAnonymous,
    ...(config.privacyPolicyUrl ? { privacyPolicyUrl: config.privacyPolicyUrl } : {}),
    erasureWithdrawnDays: config.erasureWithdrawnDays,
    erasureClosedMonths: config.erasureClosedMonths,
    sealsPersonalData: config.encryptionKey !== undefined,
  };
  const context = (c: Context): PageContext => {
    const lang = pickStatusLanguage(c.req.query('lang'), c.req.header('Accept-Language'));
    return { lang, t: statusWords(lang), service: config.name };
  };
  const send = (c: Context, markup: string) => {
    c.header('Vary', 'Accept-Language');
    return c.html(markup);
  };
  app.get(HOME_PATH, headers, (c) => send(c, renderPage(HomePage({ page: context(c), settings, origin: new URL(c.req.url).origin }))));
  app.get(PRIVACY_PATH, headers, (c) => send(c, renderPage(PrivacyPage({ page: context(c), settings }))));
}
