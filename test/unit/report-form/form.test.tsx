// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReportFormApi } from '../../../components/report-form/api';
import { ReportForm } from '../../../components/report-form/ReportForm';
import type { Delivery } from '../../../extension/db';
import type { Draft } from '../../../extension/drafts';
import { mergeDetails, type ReportDetails } from '../../../lib/report/details';
import type { Discovery } from '../../../lib/schema';
import type { Endpoint } from '../../../extension/settings';
import { sampleReport } from '../../fixtures/report';

const client = { app: 'ohr-test', version: '0.1.0' };
const discovery = (acceptsAnonymous: boolean): Discovery => ({
  protocol: 'ohr/1',
  name: acceptsAnonymous ? 'Community centre' : 'Named-only hub',
  submitUrl: 'https://hub.example.org/api/v1/reports',
  evidenceUrl: 'https://hub.example.org/api/v1/evidence/{sha256}',
  statusUrl: 'https://hub.example.org/api/v1/reports/{reference}/status',
  categories: ['race', 'religion'],
  acceptsAnonymous,
  limits: { maxJsonBytes: 1_000_000, maxEvidenceBytes: 10_000_000, maxItems: 50 },
  supportLinks: [],
});
const endpoint = (acceptsAnonymous = true): Endpoint => ({
  url: 'https://hub.example.org',
  discovery: discovery(acceptsAnonymous),
  addedAt: '2026-11-25T12:00:00.000Z',
  selected: true,
});

/** An in-memory host: what was saved and sent is there to check. */
function memoryApi(endpoints: Endpoint[] = [endpoint()]) {
  const at = '2026-11-25T10:00:00.000Z';
  const draft: Draft = { id: crypto.randomUUID(), createdAt: at, updatedAt: at, items: sampleReport().items, summary: '', status: 'draft' };
  const state = { details: {} as ReportDetails, summary: '', sent: [] as Array<{ summary: string; endpoints: string[] }>, exits: 0, items: draft.items.length, keepNothing: false, deliveries: [] as Delivery[] };
  const api: ReportFormApi = {
    load: async () => ({ draft, items: draft.items.map((item) => ({ item })) }),
    saveAnswers: async (_id, details, summary) => {
      state.details = mergeDetails(state.details, details);
      state.summary = summary;
    },
    removeItem: async () => void (state.items -= 1),
    loadSettings: async () => ({ endpoints }),
    send: async (_id, summary, chosen) => {
      state.sent.push({ summary, endpoints: chosen });
      return { ok: true };
    },
    deliveries: async () => state.deliveries,
    setKeepNothing: async (on) => void (state.keepNothing = on),
    exportPack: async () => undefined,
    importPack: async () => ({ ok: false, refusal: { key: 'locker.notZip' } }),
    openDraft: () => undefined,
    openReports: () => undefined,
    quickExit: () => void (state.exits += 1),
  };
  return { api, state, draft };
}

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
async function mount(api: ReportFormApi) {
  await act(() => render(<ReportForm api={api} draftId="any" client={client} />, root));
  await settle();
}
const byId = (id: string) => document.getElementById(id) as HTMLInputElement;
const heading = () => document.getElementById('step-heading')?.textContent;
function button(name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((candidate) => candidate.textContent?.trim().startsWith(name));
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}
async function click(element: HTMLElement) {
  await act(() => element.click());
  await settle();
}
async function type(id: string, value: string) {
  const input = byId(id);
  await act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
async function goToStep(title: string) {
  for (let guard = 0; guard < 15 && heading() !== title; guard++) await click(button('Next'));
  expect(heading()).toBe(title);
}

describe('ReportForm', () => {
  it('asks about urgency first, and says when 999 applies and when 101 does', async () => {
    const { api, state } = memoryApi();
    await mount(api);
    expect(heading()).toBe('First, are you safe?');
    const urgent = () => root.querySelector('[data-testid="urgent"]')?.textContent;
    const advice = () => root.querySelector('[data-testid="urgency-advice"]')?.textContent;
    const whenToCall = root.querySelector('[data-testid="when-to-call"]')?.textContent;
    expect(whenToCall).toContain('Call 999 if someone is in danger right now');
    expect(whenToCall).toContain('Call 101 to tell the police about a crime that is not an emergency');
    expect(urgent()).toBeUndefined();

    // Knowing who it is, alone, is no emergency.
    await click(byId('urgency.perpetratorIdentityKnown-yes'));
    expect(urgent()).toBeUndefined();
    expect(advice()).toContain('If you want the police to know now, call 101.');
    expect(advice()).not.toContain('999');
    await click(byId('urgency.relatesToFutureEvent-yes'));
    expect(urgent()).toBeUndefined();
    expect(advice()).toContain('If it could happen soon, call 999. If not, call 101');
    await click(byId('urgency.immediateDanger-yes'));
    expect(urgent()).toContain('Call 999 now.');
    expect(urgent()).toContain('press 55');
    await click(button('Next'));
    expect(state.details.urgency).toEqual({ perpetratorIdentityKnown: true, relatesToFutureEvent: true, immediateDanger: true });
    expect(document.activeElement?.id).toBe('step-heading');
  });

  it('gives the numbers of an organisation outside the UK', async () => {
    const abroad = endpoint();
    abroad.discovery.emergencyNumbers = { emergency: '112' };
    const { api } = memoryApi([abroad]);
    await mount(api);
    expect(root.querySelector('[data-testid="when-to-call"]')?.textContent).toContain('Call 112 if someone is in danger right now');
    expect(root.querySelector('[data-testid="when-to-call"]')?.textContent).toContain('contact your local police on their usual number');
    await click(byId('urgency.immediateDanger-yes'));
    expect(root.querySelector('[data-testid="urgent"]')?.textContent).toContain('Call 112 now.');
    expect(root.textContent).not.toMatch(/999|101|press 55/);
  });

  it('keeps the person on the step and ties the schema’s message to the empty summary', async () => {
    const { api } = memoryApi();
    await mount(api);
    await goToStep('What happened?');
    await click(button('Next'));
    expect(heading()).toBe('What happened?');
    const summary = byId('incident.summary');
    expect(summary.getAttribute('aria-invalid')).toBe('true');
    expect(summary.getAttribute('aria-describedby')).toContain('incident.summary-error');
    expect(byId('incident.summary-error').textContent).toBe('Say in a few words what happened');
    expect(root.querySelector('[data-testid="error-summary"]')?.textContent).toContain('Say in a few words what happened');
    await type('incident.summary', 'Threats under my post');
    await click(button('Next'));
    expect(heading()).toBe('Why do you think you were targeted?');
  });

  it('says how far over the limit a long answer is, keeps every character, and holds the step until it is shortened', async () => {
    const { api, state } = memoryApi();
    await mount(api);
    await goToStep('What happened?');
    const long = 'word '.repeat(1_002); // 5,010 characters, 5,009 once the last space is trimmed as it will be when sent
    await type('incident.summary', long);
    const summary = byId('incident.summary');
    expect(summary.hasAttribute('maxlength')).toBe(false);
    expect(summary.value).toBe(long);
    expect(summary.getAttribute('aria-invalid')).toBe('true');
    expect(byId('incident.summary-error').textContent).toBe('This is 9 characters over the limit of 5000. Shorten it to send it.');
    await click(button('Next'));
    expect(heading()).toBe('What happened?');
    expect(root.querySelector('[data-testid="error-summary"]')?.textContent).toContain('This is 9 characters over the limit of 5000');
    await settle();
    await type('incident.summary', long.slice(0, 5_000));
    await click(button('Next'));
    expect(heading()).toBe('Why do you think you were targeted?');
    expect(state.summary.trim()).toHaveLength(4_999);
  });

  it('says an answer of only spaces is not an answer', async () => {
    const { api } = memoryApi();
    await mount(api);
    await goToStep('What happened?');
    await type('incident.summary', '     ');
    await click(button('Next'));
    expect(byId('incident.summary-error').textContent).toBe('Say in a few words what happened');
  });

  it('asks for the email when the person wants to be contacted by email', async () => {
    const { api } = memoryApi();
    await mount(api);
    await goToStep('What happened?');
    await type('incident.summary', 'Abuse');
    await goToStep('Can they contact you?');
    await click(byId('reporter.anonymous-no'));
    await click(byId('reporter.contact.channel-email'));
    await click(button('Next'));
    expect(heading()).toBe('Can they contact you?');
    expect(byId('reporter.email-error').textContent).toMatch(/email address/);
    await type('reporter.email', 'sam@example.org');
    await click(button('Next'));
    expect(heading()).toBe('What you captured');
  });

  it('refuses anonymity when the chosen organisation does not take anonymous reports', async () => {
    const { api } = memoryApi([endpoint(false)]);
    await mount(api);
    await goToStep('What happened?');
    await type('incident.summary', 'Abuse');
    await goToStep('Can they contact you?');
    await click(button('Next'));
    expect(byId('reporter.anonymous-error').textContent).toContain('Named-only hub');
  });

  it('shows the DSA statement only when the platform may be told, and sends a simple report with the answers', async () => {
    const { api, state } = memoryApi();
    await mount(api);
    await goToStep('What happened?');
    await type('incident.summary', 'A threat against my mosque');
    await click(button('Next'));
    await click(byId('incident.targetedCharacteristics-religion'));
    await goToStep('Can they contact you?');
    await click(byId('reporter.consents.platform'));
    await click(button('Next'));
    expect(heading()).toBe('A statement for the website');
    await click(button('Skip'));
    await goToStep('Check your report');
    expect(root.querySelector('dl.check')?.textContent).toContain('A threat against my mosque');
    await click(byId('keep-nothing'));
    expect(state.keepNothing).toBe(true);
    await click(byId('keep-nothing'));
    await click(button('Send report'));
    expect(state.sent).toEqual([{ summary: 'A threat against my mosque', endpoints: ['https://hub.example.org'] }]);
    expect(state.details.incident?.targetedCharacteristics).toEqual(['religion']);
    expect(state.details.reporter?.consents).toEqual({ platform: true });
    expect(state.keepNothing).toBe(false);
    expect(root.querySelector('[data-testid="done"]')).not.toBeNull();
  });

  it('after sending, shows each organisation’s reference as it arrives and the support it lists', async () => {
    const listing = endpoint();
    listing.discovery.supportLinks = [{ label: 'Victim Support', url: 'https://www.victimsupport.org.uk/' }];
    const { api, state, draft } = memoryApi([listing]);
    await mount(api);
    await goToStep('What happened?');
    await type('incident.summary', 'Abuse');
    await goToStep('How has it affected you?');
    await click(byId('reporter.wantsSupport'));
    await goToStep('Check your report');
    await click(button('Send report'));
    expect(heading()).toBe('Your report is on its way');
    const at = '2026-11-25T10:00:00.000Z';
    const delivery: Delivery = { reportId: draft.id, endpoint: listing.url, status: 'queued', attempts: 0, nextAttemptAt: 0, createdAt: at, updatedAt: at };
    state.deliveries = [delivery];
    await act(() => new Promise((resolve) => setTimeout(resolve, 1_100)));
    expect(root.querySelector('[data-testid="delivery"]')?.textContent).toContain('Community centre');
    expect(heading()).toBe('Your report is on its way');
    state.deliveries = [{ ...delivery, status: 'sent', receipt: { reference: 'OHR-ABCD-EFGH', statusToken: 'x'.repeat(32), receivedAt: at } }];
    await act(() => new Promise((resolve) => setTimeout(resolve, 1_100)));
    expect(heading()).toBe('Your report has been received');
    expect(root.querySelector('[data-testid="reference"]')?.textContent).toBe('OHR-ABCD-EFGH');
    const support = root.querySelector('[data-testid="support"]');
    expect(support?.textContent).toContain('You asked to hear about support services');
    expect(support?.querySelector('a')?.getAttribute('href')).toBe('https://www.victimsupport.org.uk/');
    expect(support?.querySelector('a')?.textContent).toBe('Victim Support');
  });

  it('lets the person remove a captured item', async () => {
    const { api, state } = memoryApi();
    await mount(api);
    await goToStep('What happened?');
    await type('incident.summary', 'Abuse');
    await goToStep('What you captured');
    expect(root.querySelectorAll('[data-testid="form-item"]')).toHaveLength(1);
    await click(button('Remove item 1'));
    expect(root.querySelectorAll('[data-testid="form-item"]')).toHaveLength(0);
    expect(state.items).toBe(0);
    await click(button('Next'));
    expect(byId('items-error').textContent).toBe('Add at least one captured item');
  });

  it('leaves quickly on Esc pressed twice, and not on one press', async () => {
    const { api, state } = memoryApi();
    await mount(api);
    const press = (key: string) => act(() => void document.dispatchEvent(new KeyboardEvent('keydown', { key })));
    await press('Escape');
    await press('a');
    await press('Escape');
    expect(state.exits).toBe(0);
    await press('Escape');
    expect(state.exits).toBe(1);
    await click(button('Leave this page quickly'));
    expect(state.exits).toBe(2);
  });
});

describe('the page without a report', () => {
  it('offers to open an evidence pack and says why a bad one was refused', async () => {
    const { api } = memoryApi();
    api.load = async () => undefined;
    await act(() => render(<ReportForm api={api} draftId="" client={client} />, root));
    await settle();
    const input = byId('import-pack');
    const file = new File([new Uint8Array([1, 2, 3])], 'pack.zip');
    Object.defineProperty(input, 'files', { value: [file] });
    await act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
    await settle();
    await settle();
    expect(root.querySelector('[data-testid="import-status"]')?.textContent).toBe(
      'This file was not opened and nothing was changed: it is not an evidence pack ZIP file',
    );
  });
});

describe('autosave', () => {
  it('writes answers after typing pauses, without waiting for Next', async () => {
    const { api, state } = memoryApi();
    await mount(api);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await act(() => byId('urgency.immediateDanger-no').click());
      expect(state.details.urgency).toBeUndefined();
      await act(async () => void (await vi.runAllTimersAsync()));
      expect(state.details.urgency).toEqual({ immediateDanger: false });
    } finally {
      vi.useRealTimers();
    }
  });
});
