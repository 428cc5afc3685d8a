/**
 * Moderator wellbeing settings (issue 19 item 5; the rules in hub/domain/wellbeing.ts):
 * - /console/account/wellbeing: a moderator's own choice for each protection (follow the organisation, on, off);
 * - /console/admin/wellbeing: the organisation's defaults and the break reminder's minutes (admins only);
 * - POST /console/wellbeing/break: "carry on" under the break reminder, which starts the stretch of work again.
 * Every form posts and is answered with a redirect back saying how it went; a refusal keeps what was entered.
 */
import { Hono, type Context } from 'hono';
import type { VNode } from 'preact';
import { z } from 'zod';
import { ct, type ConsoleKey } from '../../../lib/i18n/console';
import { formBody, requireAdmin, requireCsrf, requireModerator, sessionOf, type ConsoleApp, type ConsoleDeps, type ConsoleEnv } from '../auth/guard';
import { ConsolePage, CsrfField, Notice, render, type SessionView } from '../shared/layout';
import { href } from '../shared/links';
import {
  BREAK_MINUTES,
  DefaultsInput,
  organisationDefaults,
  ownChoices,
  PROTECTIONS,
  REMINDER_MAX_MINUTES,
  restartStretch,
  setOrganisationDefaults,
  setOwnChoices,
  type OrganisationDefaults,
  type Overrides,
  type Protection,
} from '../../domain/wellbeing';

/** One answer per protection: follow the organisation, or the moderator's own on or off. */
const Choice = z.enum(['default', 'on', 'off']);
const OwnForm = z.object({ blurMedia: Choice, greyscaleMedia: Choice, hideText: Choice });
const choiceToValue = (choice: z.infer<typeof Choice>): boolean | undefined => (choice === 'default' ? undefined : choice === 'on');

/** Ticked boxes arrive as "yes", unticked ones not at all; minutes as text. */
const DefaultsForm = z
  .object({
    blurMedia: z.literal('yes').optional(),
    greyscaleMedia: z.literal('yes').optional(),
    hideText: z.literal('yes').optional(),
    reminderMinutes: z.string().trim().regex(/^\d{1,3}$/).transform(Number),
  })
  .transform((form) => ({ blurMedia: !!form.blurMedia, greyscaleMedia: !!form.greyscaleMedia, hideText: !!form.hideText, reminderMinutes: form.reminderMinutes }))
  .pipe(DefaultsInput);

/** Only a console page of this hub: never another site, nor a protocol-relative address. */
const Back = z.string().regex(/^\/console\/[^/\\]/).max(2_000).catch(href.queue);

const LABEL: Record<Protection, ConsoleKey> = { blurMedia: 'wellbeing.blurMedia', greyscaleMedia: 'wellbeing.greyscaleMedia', hideText: 'wellbeing.hideText' };
const DEFAULT_LABEL: Record<Protection, ConsoleKey> = { blurMedia: 'wellbeing.defaultBlur', greyscaleMedia: 'wellbeing.defaultGrey', hideText: 'wellbeing.defaultText' };

export function wellbeingRoutes(deps: ConsoleDeps): ConsoleApp {
  const routes = new Hono<ConsoleEnv>();
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const signedIn = requireModerator(deps);
  const csrf = requireCsrf(deps);

  const ownPage = async (c: Context<ConsoleEnv>, status: 200 | 422 = 200) => {
    const [defaults, own] = await Promise.all([organisationDefaults(db), ownChoices(db, c.get('moderator').id)]);
    const flash = c.req.query('done') === 'saved' ? ('wellbeing.saved' as const) : undefined;
    return render(c, <OwnPage session={sessionOf(c)} defaults={defaults} own={own} saved={flash} invalid={status === 422} />, status);
  };
  routes.get('/account/wellbeing', signedIn, (c) => ownPage(c));
  routes.post('/account/wellbeing', signedIn, csrf, async (c) => {
    const form = OwnForm.safeParse(await formBody(c));
    if (!form.success) return ownPage(c, 422);
    const own: Overrides = {};
    for (const key of PROTECTIONS) {
      const value = choiceToValue(form.data[key]);
      if (value !== undefined) own[key] = value;
    }
    await setOwnChoices(db, c.get('moderator').id, own);
    return c.redirect(`${href.accountWellbeing}?done=saved`, 303);
  });

  const admin = requireAdmin();
  routes.get('/admin/wellbeing', signedIn, admin, async (c) => {
    const saved = c.req.query('done') === 'saved';
    return render(c, <DefaultsPage session={sessionOf(c)} defaults={await organisationDefaults(db)} saved={saved} />);
  });
  routes.post('/admin/wellbeing', signedIn, admin, csrf, async (c) => {
    const body = await formBody(c);
    const form = DefaultsForm.safeParse(body);
    if (form.success) {
      await setOrganisationDefaults(db, form.data, c.get('moderator').id);
      return c.redirect(`${href.adminWellbeing}?done=saved`, 303);
    }
    // Keep what was entered: the boxes as ticked, the minutes as typed.
    const entered = {
      blurMedia: body.blurMedia === 'yes',
      greyscaleMedia: body.greyscaleMedia === 'yes',
      hideText: body.hideText === 'yes',
      reminderMinutes: typeof body.reminderMinutes === 'string' ? body.reminderMinutes.slice(0, 20) : '',
    };
    return render(c, <DefaultsPage session={sessionOf(c)} defaults={entered} saved={false} problem />, 422);
  });

  routes.post('/wellbeing/break', signedIn, csrf, async (c) => {
    const body = await formBody(c);
    await restartStretch(db, c.get('moderator').id, now());
    return c.redirect(Back.parse(body.back), 303);
  });
  return routes;
}

function OwnPage({ session, defaults, own, saved, invalid }: { session: SessionView; defaults: OrganisationDefaults; own: Overrides; saved: ConsoleKey | undefined; invalid: boolean }): VNode {
  const state = (on: boolean) => ct(on ? 'wellbeing.on' : 'wellbeing.off');
  return (
    <ConsolePage title={ct('wellbeing.title')} session={session} current="account">
      {saved && <Notice kind="done">{ct(saved)}</Notice>}
      {invalid && <Notice kind="problem">{ct('wellbeing.invalid')}</Notice>}
      <p>{ct('wellbeing.intro')}</p>
      <form method="post" action={href.accountWellbeing} class="stack">
        <CsrfField />
        <h2>{ct('wellbeing.yours')}</h2>
        {PROTECTIONS.map((key) => {
          const current = own[key] === undefined ? 'default' : own[key] ? 'on' : 'off';
          const option = (value: 'default' | 'on' | 'off', label: string) => (
            <div class="choice">
              <input type="radio" id={`${key}-${value}`} name={key} value={value} checked={current === value} />
              <label for={`${key}-${value}`}>{label}</label>
            </div>
          );
          return (
            <fieldset class="choices" data-testid={`wellbeing-${key}`}>
              <legend>{ct(LABEL[key])}</legend>
              {option('default', ct('wellbeing.follow', { state: state(defaults[key]) }))}
              {option('on', ct('wellbeing.alwaysOn'))}
              {option('off', ct('wellbeing.alwaysOff'))}
            </fieldset>
          );
        })}
        <button type="submit">{ct('wellbeing.save')}</button>
      </form>
      <p>{defaults.reminderMinutes > 0 ? ct('wellbeing.reminderNow', { minutes: defaults.reminderMinutes }) : ct('wellbeing.reminderOff')}</p>
      {session.moderator.role === 'admin' && (
        <p>
          <a href={href.adminWellbeing}>{ct('wellbeing.adminLink')}</a>
        </p>
      )}
    </ConsolePage>
  );
}

interface DefaultsShown {
  blurMedia: boolean;
  greyscaleMedia: boolean;
  hideText: boolean;
  reminderMinutes: number | string;
}

function DefaultsPage({ session, defaults, saved, problem = false }: { session: SessionView; defaults: DefaultsShown; saved: boolean; problem?: boolean }): VNode {
  return (
    <ConsolePage title={ct('wellbeing.admin')} session={session} current="admin">
      {saved && <Notice kind="done">{ct('wellbeing.adminSaved')}</Notice>}
      {problem && <Notice kind="problem">{ct('wellbeing.reminderProblem', { max: REMINDER_MAX_MINUTES })}</Notice>}
      <p>{ct('wellbeing.adminIntro')}</p>
      <form method="post" action={href.adminWellbeing} class="stack" noValidate>
        <CsrfField />
        {PROTECTIONS.map((key) => (
          <div class="choice">
            <input type="checkbox" id={key} name={key} value="yes" checked={defaults[key]} />
            <label for={key}>{ct(DEFAULT_LABEL[key])}</label>
          </div>
        ))}
        <label for="reminderMinutes">{ct('wellbeing.reminderMinutes')}</label>
        <p class="hint" id="reminder-hint">
          {ct('wellbeing.reminderHint', { gap: BREAK_MINUTES, max: REMINDER_MAX_MINUTES })}
        </p>
        {problem && (
          <p class="field-problem" id="reminder-problem">
            {ct('wellbeing.reminderProblem', { max: REMINDER_MAX_MINUTES })}
          </p>
        )}
        <input
          id="reminderMinutes"
          name="reminderMinutes"
          class="short"
          inputMode="numeric"
          pattern="[0-9]*"
          maxLength={3}
          value={String(defaults.reminderMinutes)}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? 'reminder-hint reminder-problem' : 'reminder-hint'}
        />
        <button type="submit">{ct('wellbeing.adminSave')}</button>
      </form>
    </ConsolePage>
  );
}
