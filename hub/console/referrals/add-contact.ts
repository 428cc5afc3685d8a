/**
 * The police case-file form's script (contact-choice.tsx), bundled for the browser: it runs in the moderator's
 * browser, never on the hub. Ticked, "Add the reporters' sealed contact details" makes the case file here:
 * 1. the organisation's key is unlocked from the key file and passphrase (the shared org-key-unlock.ts), and each
 *    report's sealed block opened with it (bound to the report body's id), before anything is asked of the hub;
 * 2. the hub makes its case file as for the plain button, told with `sealed=add` that the details will be added (so
 *    each report.json names contact.json rather than listing them as withheld), and records it as usual;
 * 3. here the ZIP is read, `reports/<reference>/contact.json` added for each, SHA256SUMS written anew and the ZIP
 *    packed again the way the hub packs it (case-zip.ts), with the hub's timestamp;
 * 4. the hub records the final file's SHA-256 for each report; only after its 204 is the file saved.
 * Whatever fails, nothing is saved and the moderator is told in words. What goes to the hub is the form's fields and
 * two SHA-256s: never the key, the passphrase or the opened details.
 */
import { unzipSync } from 'fflate';
import { z } from 'zod';
import { openPersonal } from '../../../lib/crypto/seal';
import { sha256HexOfBytes } from '../../../lib/hash';
import { format } from '../../../lib/i18n/format';
import { Sealed, type PersonalData } from '../../../lib/schema';
import { KeyProblem, unlockFromFields } from '../shared/org-key-unlock';
import { messageLines } from '../shared/page-script';
import { CONTACT_FILE, GENERATED_AT_HEADER, json, packCaseFile, reportFolder } from './case-zip';
import type { ContactMessage } from './contact-choice';

const SealedList = z.array(z.object({ reference: z.string(), reportId: z.string(), sealed: Sealed })).min(1);
type SealedList = z.infer<typeof SealedList>;

class Problem extends Error {
  constructor(
    readonly word: ContactMessage,
    readonly values: Record<string, string> = {},
  ) {
    super(word);
  }
}

type Words = (name: ContactMessage, values?: Record<string, string>) => string;

function setUp(form: HTMLFormElement): void {
  const word: Words = (name, values = {}) => format(form.getAttribute(`data-msg-${name}`) ?? '', values);
  const sealed = SealedList.parse(JSON.parse(form.dataset.sealed ?? ''));
  const choice = document.getElementById('add-contact') as HTMLInputElement;
  const keyFields = document.getElementById('case-file-key')!;
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;

  document.querySelector<HTMLElement>('[data-contact-needs-script]')?.setAttribute('hidden', '');
  document.getElementById('case-file-contact')!.hidden = false;
  choice.addEventListener('change', () => {
    keyFields.hidden = !choice.checked;
  });

  const say = messageLines(document.getElementById('case-file-problem')!, document.getElementById('case-file-status')!);

  form.addEventListener('submit', (event) => {
    // Unticked, the form posts as it does without script: the hub's case file, without the details.
    if (!choice.checked) return;
    event.preventDefault();
    button.disabled = true;
    say(word('working'), false);
    makeCaseFile(form, sealed, word)
      .then((sha256) => say(word('done', { sha256 }), false))
      .catch((error: unknown) => {
        if (error instanceof KeyProblem || error instanceof Problem) say(word(error.word, error.values), true);
        else say(word('not-made'), true);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}

/** The whole making, each step failing with the words for what went wrong; the final file's SHA-256 once saved. */
async function makeCaseFile(form: HTMLFormElement, sealed: SealedList, word: Words): Promise<string> {
  const opened = await openAll(sealed, word);
  const base = await fetchCaseFile(form);
  const files = new Map<string, Uint8Array>(Object.entries(unzipSync(base.bytes)));
  const added: string[] = [];
  for (const [reference, details] of opened) {
    // Only where the hub's report.json says the details are added: a report withdrawn meanwhile is not in the file.
    if (!saysAdded(files.get(`${reportFolder(reference)}report.json`))) continue;
    files.set(`${reportFolder(reference)}${CONTACT_FILE}`, json({ reference, note: word('note'), contact: details }));
    added.push(reference);
  }
  if (added.length === 0) throw new Problem('not-made');
  const packed = await packCaseFile(files, base.generatedAt, sha256HexOfBytes);
  const sha256 = await sha256HexOfBytes(packed.bytes);
  await record(form, { refs: added.join(','), sha256, baseSha256: await sha256HexOfBytes(base.bytes) });
  save(packed.bytes, base.filename);
  return sha256;
}

/** Every report's details, opened with one key; reports sealed to different keys are named, key by key. */
async function openAll(sealed: SealedList, word: Words): Promise<Map<string, PersonalData>> {
  const byKey = new Map<string, SealedList>();
  for (const entry of sealed) byKey.set(entry.sealed.kid, [...(byKey.get(entry.sealed.kid) ?? []), entry]);
  if (byKey.size > 1) {
    const keys = [...byKey].map(([kid, entries]) => word('key-reports', { kid, references: entries.map((entry) => entry.reference).join(', ') }));
    throw new Problem('several-keys', { keys: keys.join('; ') });
  }
  const key = await unlockFromFields(sealed[0]!.sealed.kid);
  const opened = new Map<string, PersonalData>();
  for (const { reference, reportId, sealed: block } of sealed) {
    const details = await openPersonal(key, block, reportId).catch(() => {
      throw new Problem('not-opened', { reference });
    });
    opened.set(reference, details);
  }
  return opened;
}

const fields = (form: HTMLFormElement, extra: Record<string, string>) => {
  const body = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === 'string') body.set(name, value);
  for (const [name, value] of Object.entries(extra)) body.set(name, value);
  return { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString() } as const;
};

/** The hub's case file, made saying the details are added; anything but a ZIP (a page saying why not) is a problem. */
async function fetchCaseFile(form: HTMLFormElement): Promise<{ bytes: Uint8Array<ArrayBuffer>; generatedAt: string; filename: string }> {
  const response = await fetch(form.action, fields(form, { sealed: 'add' })).catch(() => undefined);
  const generatedAt = response?.headers.get(GENERATED_AT_HEADER);
  if (!response?.ok || response.headers.get('Content-Type') !== 'application/zip' || !generatedAt || Number.isNaN(Date.parse(generatedAt))) {
    throw new Problem('not-made');
  }
  const filename = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'case-file.zip';
  return { bytes: new Uint8Array(await response.arrayBuffer()), generatedAt, filename };
}

function saysAdded(reportJson: Uint8Array | undefined): boolean {
  if (!reportJson) return false;
  const parsed = z.object({ contactDetails: z.literal(CONTACT_FILE) }).safeParse(JSON.parse(new TextDecoder().decode(reportJson)));
  return parsed.success;
}

/** The record first: if the hub cannot write it, nothing is saved. Only the form's fields and hashes are sent. */
async function record(form: HTMLFormElement, values: { refs: string; sha256: string; baseSha256: string }): Promise<void> {
  const response = await fetch(form.dataset.contact ?? '', fields(form, values)).catch(() => undefined);
  if (response?.status !== 204) throw new Problem('not-recorded');
}

/** Saves the file through a link to it in this page's memory, then lets the memory go. */
function save(bytes: Uint8Array<ArrayBuffer>, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/zip' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const form = document.getElementById('case-file');
if (form instanceof HTMLFormElement) setUp(form);
