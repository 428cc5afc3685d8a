// @vitest-environment happy-dom
/**
 * Where the person gives contact details, the form says who can read them: for organisations that publish an
 * encryption key, that they are locked on this device so only its staff can; when only some do, which receive them as
 * typed; when none does, nothing new. The check step says the same under the details, and the settings say it of each
 * organisation that publishes a key.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EndpointSettings } from '../../../components/EndpointSettings';
import { CheckStep } from '../../../components/report-form/CheckStep';
import { ContactStep } from '../../../components/report-form/ContactStep';
import type { StepProps } from '../../../components/report-form/types';
import type { ExtensionApi } from '../../../extension/pages/api';
import type { Endpoint } from '../../../extension/settings';
import type { ReportDetails } from '../../../lib/report/details';
import { SEAL_ALG, type Discovery, type EncryptionKey } from '../../../lib/schema';

/** The form reads only whether there is a key, never the key itself. */
const KEY: EncryptionKey = { kid: 'org-2026-12', alg: SEAL_ALG, jwk: { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'B'.repeat(43) } };

const organisation = (name: string, sealed: boolean): Endpoint => {
  const url = `https://${name.toLowerCase().replaceAll(' ', '-')}.example.org`;
  const discovery: Discovery = {
    protocol: 'ohr/1',
    name,
    submitUrl: `${url}/api/v1/reports`,
    evidenceUrl: `${url}/api/v1/evidence/{sha256}`,
    statusUrl: `${url}/api/v1/reports/{reference}/status`,
    categories: ['race', 'religion'],
    acceptsAnonymous: true,
    limits: { maxJsonBytes: 1_000_000, maxEvidenceBytes: 10_000_000, maxItems: 50 },
    supportLinks: [],
    ...(sealed ? { encryptionKey: KEY } : {}),
  };
  return { url, discovery, addedAt: '2026-12-01T09:00:00.000Z', selected: true };
};
const centre = organisation('Community centre', true);
const hub = organisation('Police hate crime hub', true);
const helpline = organisation('Helpline', false);

const identified = (consents: { emailUpdates?: boolean } = {}): ReportDetails => ({
  reporter: { anonymous: false, name: 'Sam Doe', email: 'sam@example.org', phone: '07700 900123', consents },
});

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

function props(details: ReportDetails, destinations: Endpoint[]): StepProps {
  return { details, summary: 'Abuse', errors: {}, change: () => undefined, setSummary: () => undefined, destinations, items: [], removeItem: () => undefined, goTo: () => undefined };
}
const noteText = () => root.querySelector('[data-testid="sealed-note"]')?.textContent ?? '';
const emailUpdatesLine = () => root.querySelector('[data-testid="sealed-email-updates"]')?.textContent;

describe('the contact step', () => {
  it('every organisation publishes a key: the details are locked so that only their staff can read them, said before the first field', () => {
    render(<ContactStep {...props(identified(), [centre, hub])} />, root);
    expect(noteText()).toBe(
      'Your name, email address, phone number and access needs are locked on this device before they are sent, so that only staff at Community centre and Police hate crime hub can read them.',
    );
    const note = root.querySelector('[data-testid="sealed-note"]')!;
    expect(note.classList.contains('note')).toBe(true);
    // Before the name field, so it is read before anything is typed.
    expect(note.compareDocumentPosition(document.getElementById('reporter.name')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(emailUpdatesLine()).toBeUndefined();
  });

  it('with email updates ticked, says the address for updates is sent readable, beside the choice', () => {
    render(<ContactStep {...props(identified({ emailUpdates: true }), [centre])} />, root);
    expect(emailUpdatesLine()).toBe('The email address for updates is sent readable, so that they can write to you.');
    const checkbox = document.getElementById('reporter.consents.emailUpdates')!;
    expect(checkbox.compareDocumentPosition(root.querySelector('[data-testid="sealed-email-updates"]')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('some publish a key and some do not: says which receive them locked and which as typed', () => {
    render(<ContactStep {...props(identified({ emailUpdates: true }), [centre, helpline, hub])} />, root);
    expect(noteText()).toBe(
      'Your name, email address, phone number and access needs are locked on this device before they are sent, so that only staff at Community centre and Police hate crime hub can read them.' +
        'They are sent to Helpline as you type them.',
    );
    expect(emailUpdatesLine()).toBeTruthy();
  });

  it('none publishes a key: nothing new is said', () => {
    render(<ContactStep {...props(identified({ emailUpdates: true }), [helpline])} />, root);
    expect(root.querySelector('[data-testid="sealed-note"]')).toBeNull();
    expect(emailUpdatesLine()).toBeUndefined();
    expect(root.textContent).not.toMatch(/locked|readable|as you type/);
  });

  it('an anonymous report asks for no details, so says nothing of them', () => {
    render(<ContactStep {...props({ reporter: { anonymous: true } }, [centre])} />, root);
    expect(root.querySelector('[data-testid="sealed-note"]')).toBeNull();
  });
});

describe('the check step', () => {
  it('says it under the contact details, with the email updates line when ticked', () => {
    render(<CheckStep {...props(identified({ emailUpdates: true }), [centre, helpline])} />, root);
    expect(noteText()).toBe(
      'Your name, email address, phone number and access needs are locked on this device before they are sent, so that only staff at Community centre can read them.' +
        'They are sent to Helpline as you type them.' +
        'The email address for updates is sent readable, so that they can write to you.',
    );
    expect(root.querySelector('dl')!.compareDocumentPosition(root.querySelector('[data-testid="sealed-note"]')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says nothing when none publishes a key, when the report is anonymous, or when no details were given', () => {
    render(<CheckStep {...props(identified(), [helpline])} />, root);
    expect(root.querySelector('[data-testid="sealed-note"]')).toBeNull();
    render(<CheckStep {...props({ reporter: { anonymous: true } }, [centre])} />, root);
    expect(root.querySelector('[data-testid="sealed-note"]')).toBeNull();
    render(<CheckStep {...props({ reporter: { anonymous: false } }, [centre])} />, root);
    expect(root.querySelector('[data-testid="sealed-note"]')).toBeNull();
  });
});

describe('the settings', () => {
  it('say of each organisation that publishes a key that it locks contact details, and of no other', async () => {
    const api = { loadSettings: async () => ({ endpoints: [centre, helpline] }), quickExit: () => undefined } as Partial<ExtensionApi> as ExtensionApi;
    await act(() => render(<EndpointSettings api={api} />, root));
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    const listed = [...root.querySelectorAll('[data-testid="endpoint"]')];
    expect(listed).toHaveLength(2);
    expect(listed[0]!.querySelector('[data-testid="seals-contact"]')?.textContent).toBe('Locks your contact details so that only its staff can read them.');
    expect(listed[1]!.querySelector('[data-testid="seals-contact"]')).toBeNull();
  });
});
