/**
 * The sealed-contact page's script, bundled for the browser by bundle.ts (runs in the moderator's browser, never on
 * the hub). It reads the organisation's key file the moderator chose, unwraps the private key with their passphrase,
 * opens the report's sealed block (bound to the report's id), asks the hub to record the reveal in the audit log and
 * only then shows the details, as text. The key lives in this function's variables and nowhere else: not in storage,
 * not sent anywhere; leaving or reloading the page forgets it.
 */
import { openPersonal, unwrapWithPassphrase } from '../../../lib/crypto/seal';
import { format } from '../../../lib/i18n/format';
import { OrgKeyFile, Sealed, type PersonalData } from '../../../lib/schema';

type MessageName = 'no-file' | 'not-key-file' | 'other-key' | 'passphrase' | 'not-opened' | 'not-recorded' | 'opening' | 'opened' | 'none';

class Problem extends Error {
  constructor(
    readonly word: MessageName,
    readonly values: Record<string, string> = {},
  ) {
    super(word);
  }
}

function setUp(form: HTMLFormElement): void {
  const word = (name: MessageName, values: Record<string, string> = {}) => format(form.getAttribute(`data-msg-${name}`) ?? '', values);
  const sealed = Sealed.parse(JSON.parse(form.dataset.sealed ?? ''));
  const reportId = form.dataset.reportId ?? '';
  const problem = document.getElementById('sealed-problem')!;
  const status = document.getElementById('sealed-status')!;
  const result = document.getElementById('sealed-result')!;
  const fileInput = document.getElementById('sealed-file') as HTMLInputElement;
  const passphraseInput = document.getElementById('sealed-passphrase') as HTMLInputElement;

  document.querySelector<HTMLElement>('[data-sealed-needs-script]')?.setAttribute('hidden', '');
  form.hidden = false;

  const say = (words: string, isProblem: boolean) => {
    problem.textContent = isProblem ? words : '';
    problem.hidden = !isProblem;
    status.textContent = isProblem ? '' : words;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    result.hidden = true;
    say(word('opening'), false);
    open(form, sealed, reportId, fileInput.files?.[0], passphraseInput.value)
      .then((details) => {
        passphraseInput.value = '';
        show(result, details, word('none'));
        say(word('opened'), false);
        result.querySelector<HTMLElement>('h2')?.focus();
      })
      .catch((error: unknown) => {
        say(error instanceof Problem ? word(error.word, error.values) : word('not-opened'), true);
      });
  });
}

/** The whole opening, each step failing with the words for what went wrong. */
async function open(form: HTMLFormElement, sealed: Sealed, reportId: string, file: File | undefined, passphrase: string): Promise<PersonalData> {
  if (!file) throw new Problem('no-file');
  const keyFile = OrgKeyFile.safeParse(await readJson(file));
  if (!keyFile.success) throw new Problem('not-key-file');
  const { encryptionKey, privateKey: wrapped } = keyFile.data;
  if (encryptionKey.kid !== sealed.kid) throw new Problem('other-key', { chosen: encryptionKey.kid, sealed: sealed.kid });
  const privateKey = await unwrapWithPassphrase(wrapped, passphrase).catch(() => {
    throw new Problem('passphrase');
  });
  const details = await openPersonal({ privateKey, publicJwk: encryptionKey.jwk }, sealed, reportId).catch(() => {
    throw new Problem('not-opened');
  });
  await recordReveal(form);
  return details;
}

async function readJson(file: File): Promise<unknown> {
  // A key file is about 1 KB; anything far larger is not one, and is not read.
  if (file.size > 64 * 1024) return undefined;
  try {
    return JSON.parse(await file.text());
  } catch {
    return undefined;
  }
}

/** The audit entry first: if the hub cannot record it, nothing is shown. Only the CSRF token is sent. */
async function recordReveal(form: HTMLFormElement): Promise<void> {
  const csrf = form.querySelector<HTMLInputElement>('input[name="csrf"]')?.value ?? '';
  const response = await fetch(form.dataset.reveal ?? '', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf }).toString(),
  }).catch(() => undefined);
  if (!response || response.status !== 204) throw new Problem('not-recorded');
}

function show(result: HTMLElement, details: PersonalData, none: string): void {
  for (const cell of result.querySelectorAll<HTMLElement>('[data-field]')) {
    const value = details[cell.dataset.field as keyof PersonalData];
    // Text only: whatever the reporter typed is never read as markup.
    cell.textContent = value ?? none;
    cell.classList.toggle('absent', value === undefined);
  }
  result.hidden = false;
}

const form = document.getElementById('sealed-open');
if (form instanceof HTMLFormElement) setUp(form);
