/**
 * The chain of custody in words, for the police case file (`custody.txt`) and the exhibit PDF: one sentence per
 * audit entry, from `custodyOf`'s allow-list only (never a note's words, the public note, a question or a contact
 * detail), after a first line saying when the hub received the report and the SHA-256 it received.
 */
import { ct } from '../../../lib/i18n/console';
import { Outcome, ReportStatus } from '../../../lib/schema';
import { outcomeLabel, statusLabel } from '../shared/labels';
import type { CustodyEntry } from './case-file';

const at = (value: string) => `${new Date(value).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
const status = (value: string | undefined) => {
  const parsed = ReportStatus.safeParse(value);
  return parsed.success ? statusLabel(parsed.data) : (value ?? '?');
};
const outcome = (value: string) => {
  const parsed = Outcome.safeParse(value);
  return parsed.success ? outcomeLabel(parsed.data) : value;
};

export function custodySentence(entry: CustodyEntry): string {
  const actor = entry.actor ?? ct('custody.hub');
  const sha256 = entry.sha256 ?? '?';
  switch (entry.action) {
    case 'evidence.view':
      return ct('custody.evidenceView', { actor, sha256 });
    case 'contact.reveal':
      return ct('custody.contactReveal', { actor });
    case 'contact.open_sealed':
      return ct('custody.contactOpenSealed', { actor });
    case 'referral.case_file':
      return ct('custody.caseFile', { actor, sha256 });
    case 'referral.case_file_contact':
      return ct('custody.caseFileContact', { actor, sha256 });
    case 'referral.dsa_notice':
      return ct('custody.dsaNotice', { actor, sha256 });
    case 'status':
      if (entry.duplicateOf) return ct('custody.duplicate', { actor, reference: entry.duplicateOf });
      return entry.outcome
        ? ct('custody.statusOutcome', { actor, before: status(entry.statusBefore), after: status(entry.statusAfter), outcome: outcome(entry.outcome) })
        : ct('custody.status', { actor, before: status(entry.statusBefore), after: status(entry.statusAfter) });
    case 'withdraw':
      return ct('custody.withdraw');
    case 'assign':
      return ct(entry.assigned ? 'custody.assigned' : 'custody.unassigned', { actor });
    case 'note':
      return ct('custody.note', { actor });
    case 'public_note':
      return ct('custody.publicNote', { actor });
    case 'question.ask':
      return ct('custody.question', { actor });
    case 'question.answer':
      return ct('custody.answer');
    case 'report.erase':
      return ct('custody.erase', { actor });
    default:
      return ct('custody.other', { actor, action: entry.action });
  }
}

export interface Received {
  at: string;
  reference: string;
  hub: string;
  sha256: string;
}

/** The report's chain of custody as lines of text, oldest first, starting with its receipt by the hub. */
export function custodyLines(received: Received, entries: readonly CustodyEntry[]): string[] {
  return [
    ct('custody.received', { at: at(received.at), hub: received.hub, reference: received.reference, sha256: received.sha256 }),
    ...entries.filter((entry) => entry.reference === received.reference).map((entry) => ct('custody.line', { at: at(entry.at), sentence: custodySentence(entry) })),
  ];
}
