/**
 * The hub's own page (`/`) and its built-in privacy page (`/privacy`), rendered on the server in the person's language
 * (the status page's catalogue and shell). `/` is the organisation's page: its name, what it takes reports about, the
 * report form embedded exactly as any site embeds it (one script tag and the element), where to check a report, the
 * report app to install on a phone (hub/report-app.ts), how information is used, and the staff sign-in.
 */
import type { VNode } from 'preact';
import type { TargetedCharacteristic } from '../../lib/schema';
import { APP_PATH } from '../report-app';
import { STATUS_PATH, Shell, type PageContext } from '../status/page';

export const HOME_PATH = '/';
export const PRIVACY_PATH = '/privacy';
/** Where the console's sign-in is and the public open data page; the console's own paths, written out (it is another transport). */
export const STAFF_PATH = '/console';
export const OPEN_DATA_PATH = '/console/open-data';

export interface HomeSettings {
  categories: readonly TargetedCharacteristic[];
  area?: string;
  acceptsAnonymous: boolean;
  /** The organisation's own policy; unset: the built-in page. */
  privacyPolicyUrl?: string;
  erasureWithdrawnDays: number;
  erasureClosedMonths: number;
  /** Whether the hub publishes a key that reporters' details are sealed to in their browsers (issue 23). */
  sealsPersonalData: boolean;
}

export function HomePage({ page, settings, origin }: { page: PageContext; settings: HomeSettings; origin: string }): VNode {
  const { t } = page;
  return (
    <Shell page={page} title={t('home.title', { name: page.service })} path={HOME_PATH}>
      <p class="lead">
        {t('home.intro')} {settings.acceptsAnonymous ? t('home.anonymous') : null}
      </p>
      <section aria-labelledby="takes-heading">
        <h2 id="takes-heading">{t('home.takes')}</h2>
        <p>{t('home.takesIntro')}</p>
        <ul class="takes">
          {settings.categories.map((category) => (
            <li key={category}>{t(`category.${category}`)}</li>
          ))}
        </ul>
        {settings.area ? <p>{t('home.area', { area: settings.area })}</p> : null}
      </section>
      <section aria-labelledby="form-heading" class="report-form">
        <h2 id="form-heading">{t('home.form')}</h2>
        <noscript>
          <p class="problem">{t('home.noScript')}</p>
        </noscript>
        {/* As an organisation embeds it on its own site (widget/README.md): one script tag, one element. */}
        <script src="/widget.js" async />
        {/* In the page's language where the widget has it; the widget marks itself with the language it draws in. */}
        <ohr-report-form endpoint={origin} data-lang={page.lang} />
      </section>
      <section aria-labelledby="after-heading">
        <h2 id="after-heading">{t('home.after')}</h2>
        <p>
          <a href={`${STATUS_PATH}?lang=${page.lang}`}>{t('home.status')}</a>
        </p>
        <p class="hint">{t('home.statusHint')}</p>
      </section>
      <ul class="links">
        <li>
          <a href={settings.privacyPolicyUrl ?? `${PRIVACY_PATH}?lang=${page.lang}`}>{t('home.privacy')}</a>
        </li>
        <li>
          <a href={OPEN_DATA_PATH}>{t('home.openData')}</a>
        </li>
        <li>
          <a href={APP_PATH}>{t('home.app')}</a>
        </li>
        <li>
          <a href={STAFF_PATH}>{t('home.staff')}</a>
        </li>
      </ul>
    </Shell>
  );
}

/** What the hub keeps and for how long, from its settings; links the organisation's own policy where there is one. */
export function PrivacyPage({ page, settings }: { page: PageContext; settings: HomeSettings }): VNode {
  const { t } = page;
  const name = page.service;
  return (
    <Shell page={page} title={t('privacy.title')} path={PRIVACY_PATH}>
      <p>{t('privacy.about', { name })}</p>
      {settings.privacyPolicyUrl ? (
        <p>
          <a href={settings.privacyPolicyUrl}>{t('privacy.policy', { name })}</a>
        </p>
      ) : null}
      <h2>{t('privacy.keptTitle')}</h2>
      <p>{t('privacy.kept')}</p>
      <p>{t('privacy.readers', { name })}</p>
      <p>{t('privacy.notKept')}</p>
      <CanSee page={page} settings={settings} />
      <h2>{t('privacy.howLongTitle')}</h2>
      <p>{settings.erasureWithdrawnDays === 0 ? t('privacy.withdrawnNow') : t('privacy.withdrawnLater', { days: settings.erasureWithdrawnDays })}</p>
      <p>{t('privacy.closed', { name, months: settings.erasureClosedMonths })}</p>
      <p>{t('privacy.counts')}</p>
      <p>
        <a href={`${HOME_PATH}?lang=${page.lang}`}>{t('privacy.back')}</a>
      </p>
    </Shell>
  );
}

/** What the organisation can and cannot see, from the hub's settings: sealing, police, intimate pictures, anonymity. */
function CanSee({ page, settings }: { page: PageContext; settings: HomeSettings }): VNode {
  const { t } = page;
  const name = page.service;
  return (
    <section aria-labelledby="can-see-heading" data-testid="can-see">
      <h2 id="can-see-heading">{t('privacy.seeTitle', { name })}</h2>
      {settings.sealsPersonalData ? (
        <>
          <p>{t('privacy.sealed', { name })}</p>
          <p>{t('privacy.sealedEmail')}</p>
        </>
      ) : (
        <p>{t('privacy.notSealed', { name })}</p>
      )}
      <p>{t('privacy.police')}</p>
      <p>{t('privacy.images', { name })}</p>
      {settings.acceptsAnonymous ? <p>{t('privacy.anonymous')}</p> : null}
      <p>{t('privacy.pictures')}</p>
    </section>
  );
}

declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      /** The widget's element (widget/index.ts). */
      'ohr-report-form': { endpoint: string; 'data-lang'?: string; 'exit-url'?: string };
    }
  }
}
