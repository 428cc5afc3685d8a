/**
 * The widget's contact step says, for an organisation that publishes an encryption key, that the person's details are
 * locked on this device so that only its staff can read them (and that an address for updates is sent readable); for
 * one that publishes none, nothing new. The words are the extension's (`lib/i18n/form-en.ts`), so they translate alike.
 */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { en } from '../../../lib/i18n/en';
import { format } from '../../../lib/i18n/format';
import { SEAL_ALG, type Discovery } from '../../../lib/schema';
import { write, type Answers } from '../../../widget/answers';
import { STEPS } from '../../../widget/steps';

/** Only what the contact step reads of a discovery document. */
const discovery = (sealed: boolean) =>
  ({
    name: 'Community centre',
    acceptsAnonymous: true,
    ...(sealed ? { encryptionKey: { kid: 'org-2026-12', alg: SEAL_ALG, jwk: { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'B'.repeat(43) } } } : {}),
  }) as Discovery;

const identified = write(write(write({}, 'reporter.anonymous', false), 'reporter.name', 'Sam Doe'), 'reporter.email', 'sam@example.org');
const contact = STEPS.find((step) => step.id === 'contact')!;
const draw = (answers: Answers, sealed: boolean) =>
  renderToString(
    contact.Body({ answers, errors: {}, set: () => undefined, discovery: discovery(sealed), items: [], setItems: () => undefined, goTo: () => undefined, steps: STEPS }) as never,
  );
const locked = format(en['contact.sealed'], { organisations: 'Community centre' });

describe('the widget’s contact step', () => {
  it('to an organisation with a key: the details are locked so that only its staff can read them, before the first field', () => {
    const html = draw(identified, true);
    expect(html).toContain(`<p class="note" role="status">${locked}</p>`);
    expect(html.indexOf(locked)).toBeLessThan(html.indexOf('id="reporter.name"'));
    expect(html).not.toContain(en['contact.sealedEmailUpdates']);
  });

  it('with email updates ticked: the address for updates is sent readable, said after the choice', () => {
    const html = draw(write(identified, 'reporter.consents.emailUpdates', true), true);
    expect(html.indexOf(en['contact.sealedEmailUpdates'])).toBeGreaterThan(html.indexOf('id="reporter.consents.emailUpdates"'));
  });

  it('to an organisation without a key, or for an anonymous report: nothing new', () => {
    for (const html of [draw(write(identified, 'reporter.consents.emailUpdates', true), false), draw({}, true)]) {
      expect(html).not.toContain('locked on this device');
      expect(html).not.toContain(en['contact.sealedEmailUpdates']);
    }
  });
});
