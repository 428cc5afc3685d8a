/**
 * The audit trail as sentences a person reads ("Sam Patel assigned this report to Alex Kim"), never as JSON or ids.
 * Each entry's payload is JSON the hub wrote, but it is read as untrusted here (zod): an older hub may have written
 * another shape, and an erased payload is gone. A payload that does not read falls back to a sentence that needs none,
 * and an action this file does not know becomes a generic sentence naming it.
 */
import { z } from 'zod';
import { ct, ctn } from '../../../lib/i18n/console';
import { Outcome, ReportStatus } from '../../../lib/schema';
import { AuditAction, type AuditRow } from '../../domain/audit';
import { personLabel, type Person } from '../../domain/people';
import { outcomeLabel, statusLabel } from '../shared/labels';

const StatusPayload = z.object({ status: ReportStatus, outcome: Outcome.nullable().optional() });
const DuplicatePayload = z.object({ duplicateOf: z.string().regex(/^OHR-[0-9A-Z]{4}-[0-9A-Z]{4}$/) });
const AssignPayload = z.object({ assignedTo: z.string().nullable() });
const PublicNotePayload = z.object({ publicNote: z.string().nullable() });
const AnswerPayload = z.object({ items: z.number().int().min(0) });

/** Who acted: a moderator by name (or email), else the reporter or the hub, as the action says. */
function actorOf(entry: AuditRow, people: ReadonlyMap<string, Person>): string {
  if (entry.actorId) {
    const person = people.get(entry.actorId);
    if (person) return personLabel(person);
    return entry.actorName ?? entry.actorEmail ?? ct('sentence.someone');
  }
  // Without a moderator, the reporter acted (a withdrawal, an answer and the move back to review that follows it) or
  // the hub did (erasure by the retention rules).
  return entry.action === AuditAction.reportErase ? ct('sentence.hub') : ct('sentence.reporter');
}

const nameOf = (id: string, people: ReadonlyMap<string, Person>): string => {
  const person = people.get(id);
  return person ? personLabel(person) : ct('sentence.unknownPerson');
};

/** One audit entry as a sentence; `people` holds every moderator by id (disabled ones too). */
export function auditSentence(entry: AuditRow, people: ReadonlyMap<string, Person>): string {
  const who = actorOf(entry, people);
  switch (entry.action) {
    case AuditAction.status:
    case AuditAction.withdraw:
      return statusSentence(entry, who);
    case AuditAction.assign: {
      const before = AssignPayload.safeParse(entry.before);
      const after = AssignPayload.safeParse(entry.after);
      if (!after.success) return ct('sentence.assignChanged', { who });
      const to = after.data.assignedTo;
      if (to === null) {
        const was = before.success && before.data.assignedTo ? nameOf(before.data.assignedTo, people) : ct('sentence.unknownPerson');
        return ct('sentence.unassign', { who, whom: was });
      }
      return to === entry.actorId ? ct('sentence.assignSelf', { who }) : ct('sentence.assign', { who, whom: nameOf(to, people) });
    }
    case AuditAction.note:
      return ct('sentence.note', { who });
    case AuditAction.publicNote: {
      const after = PublicNotePayload.safeParse(entry.after);
      return after.success && after.data.publicNote === null ? ct('sentence.publicNoteRemoved', { who }) : ct('sentence.publicNoteSet', { who });
    }
    case AuditAction.revealContact:
      return ct('sentence.contact', { who });
    case AuditAction.openSealedContact:
      return ct('sentence.contactOpenSealed', { who });
    case AuditAction.evidenceView:
      return ct('sentence.evidenceView', { who });
    case AuditAction.referralNotice:
      return ct('sentence.dsaNotice', { who });
    case AuditAction.referralCaseFile:
      return ct('sentence.caseFile', { who });
    case AuditAction.referralCaseFileContact:
      return ct('sentence.caseFileContact', { who });
    case AuditAction.reportErase:
      return ct('sentence.erase', { who });
    case AuditAction.questionAsk:
      return ct('sentence.question', { who });
    case AuditAction.answer: {
      const after = AnswerPayload.safeParse(entry.after);
      return after.success && after.data.items > 0 ? ctn('sentence.answerItems', after.data.items, { who }) : ct('sentence.answer', { who });
    }
    default:
      return ct('sentence.other', { who, action: entry.action });
  }
}

function statusSentence(entry: AuditRow, who: string): string {
  const duplicate = DuplicatePayload.safeParse(entry.after);
  if (duplicate.success) return ct('sentence.duplicate', { who, original: duplicate.data.duplicateOf });
  const before = StatusPayload.safeParse(entry.before);
  const after = StatusPayload.safeParse(entry.after);
  if (!before.success || !after.success) return entry.action === AuditAction.withdraw ? ct('sentence.withdraw', { who }) : ct('sentence.statusChanged', { who });
  if (entry.action === AuditAction.withdraw) return ct('sentence.withdraw', { who });
  const from = statusLabel(before.data.status);
  if (after.data.status === 'closed' && after.data.outcome) return ct('sentence.statusClosed', { who, outcome: outcomeLabel(after.data.outcome), from });
  return ct('sentence.status', { who, from, to: statusLabel(after.data.status) });
}
