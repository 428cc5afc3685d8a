/**
 * The extension's IndexedDB: one database so a draft, its evidence bytes, the frozen report and its deliveries can
 * change together in one transaction. Writes that the UI reports as "saved" use strict durability.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Artefact } from '@/lib/report/artefact';
import type { ReportDetails } from '@/lib/report/details';
import type { Answer, AnswerReceipt, FieldError, Item, Receipt, Report, StatusResponse } from '@/lib/schema';
import type { HidingPlan } from './capture/hiding';

export interface Draft {
  /** The report's id on this computer. No organisation receives it: each one's copy has an id of its own. */
  id: string;
  createdAt: string;
  updatedAt: string;
  items: Item[];
  summary: string;
  /** The report form's answers; absent in drafts made before the form existed, which then send with safe defaults. */
  details?: ReportDetails;
  /** `queued` once sent: from then on the report is frozen in `reports`, so every resend is byte-identical. */
  status: 'draft' | 'queued';
  /** Where the person's own account shows in the captured pictures, hidden if the report is anonymous. Never sent. */
  hiding?: HidingPlan[];
  /** The hashes of the pictures made with those areas hidden, when the report was sent anonymously. */
  hiddenPictures?: string[];
}

/**
 * A frozen copy of a sent report. `id` is the draft's id for the person's own copy (what evidence packs hold), and
 * the delivery's key (`deliveryKey`: draft id and endpoint) for the copy that endpoint receives; `report.id` is the
 * copy's own id, which no other copy shares.
 */
export interface QueuedReport {
  id: string;
  report: Report;
  queuedAt: string;
}

export type DeliveryStatus = 'draft' | 'queued' | 'sending' | 'sent' | 'needs_attention' | 'withdrawn';

/** One report on its way to one endpoint: each destination has its own status, attempts and receipt. */
export interface Delivery {
  reportId: string;
  endpoint: string;
  status: DeliveryStatus;
  attempts: number;
  /** Epoch ms when the outbox may next pick this up; NEVER when it is finished or waits for the person. */
  nextAttemptAt: number;
  /** While `sending`: who holds it and until when. A worker that died loses the lease when it runs out. */
  lease?: { id: string; until: number };
  lastError?: { message: string; status?: number; fields?: FieldError[]; at: string };
  receipt?: Receipt;
  remote?: StatusResponse & { checkedAt: string };
  createdAt: string;
  updatedAt: string;
}

/**
 * The person's answer to a moderator's question, on its way to the endpoint that asked. Kept until acknowledged, as
 * a delivery is; `answer.id` is made once, when the answer is saved, and is the endpoint's idempotency key, so no
 * resend can make a second answer.
 */
export interface QueuedAnswer {
  /** The answer's id (`answer.id`). */
  id: string;
  /** The local report (draft id) and the endpoint that holds the copy the question is about. */
  reportId: string;
  endpoint: string;
  questionId: string;
  answer: Answer;
  status: 'queued' | 'sending' | 'sent' | 'needs_attention';
  attempts: number;
  nextAttemptAt: number;
  lease?: { id: string; until: number };
  lastError?: { message: string; status?: number; fields?: FieldError[]; at: string };
  receipt?: AnswerReceipt;
  createdAt: string;
  updatedAt: string;
}

/** Far enough in the future that a cursor over "due" records never reaches it. */
export const NEVER = Number.MAX_SAFE_INTEGER;

export interface OhrDB extends DBSchema {
  drafts: { key: string; value: Draft; indexes: { byCreatedAt: string } };
  artefacts: { key: string; value: Artefact };
  reports: { key: string; value: QueuedReport };
  deliveries: { key: [string, string]; value: Delivery; indexes: { byReport: string; byNextAttempt: number } };
  answers: { key: string; value: QueuedAnswer; indexes: { byReport: string; byNextAttempt: number } };
}

export type OhrDatabase = IDBPDatabase<OhrDB>;
export const DB_NAME = 'ohr';
export const STRICT = { durability: 'strict' } as const;

export function openOhrDatabase(name = DB_NAME): Promise<OhrDatabase> {
  return openDB<OhrDB>(name, 3, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('drafts', { keyPath: 'id' }).createIndex('byCreatedAt', 'createdAt');
        database.createObjectStore('artefacts', { keyPath: 'sha256' });
      }
      if (oldVersion < 2) {
        database.createObjectStore('reports', { keyPath: 'id' });
        const deliveries = database.createObjectStore('deliveries', { keyPath: ['reportId', 'endpoint'] });
        deliveries.createIndex('byReport', 'reportId');
        deliveries.createIndex('byNextAttempt', 'nextAttemptAt');
      }
      if (oldVersion < 3) {
        const answers = database.createObjectStore('answers', { keyPath: 'id' });
        answers.createIndex('byReport', 'reportId');
        answers.createIndex('byNextAttempt', 'nextAttemptAt');
      }
    },
  });
}
