/**
 * The outbox: every report waits here, per destination, until that endpoint has acknowledged it.
 *
 * Each step is its own short transaction so that a service worker killed at any point leaves a state the next one
 * can finish from: `enqueue` (strict) → `claim` (lease) → upload outside any transaction → `acknowledge` (strict)
 * or `release`. The wire is at-least-once; the endpoint makes it exactly-once through the report id as idempotency key.
 *
 * Each destination gets its own frozen copy of the report (its own id and signing key, `lib/report/sign.ts`), kept in
 * `reports` under the delivery's key, so every resend to that endpoint is byte-identical and no two endpoints receive
 * a value they could join on. The person's own copy (for evidence packs), which keeps the draft's id and is sent to
 * no one, is kept under the draft's id. Deliveries queued before copies were per destination have no copy of their
 * own and send the one under the draft's id, as they always did.
 */
import type { Artefact } from '@/lib/report/artefact';
import { artefactsFor, deleteDraft, DRAFT_STORES, draftsNewestFirst, markQueued } from './drafts';
import type { Result, SendFailure } from '@/lib/protocol/client';
import { BACKOFF, backoffMs, type Backoff } from '@/lib/protocol/retry';
import type { AnswerReceipt, Item, Receipt, Report, StatusResponse } from '@/lib/schema';
import { NEVER, STRICT, type Delivery, type Draft, type OhrDatabase, type QueuedAnswer, type QueuedReport } from './db';

/** Full-jitter exponential backoff (`lib/protocol/retry`): the n-th retry waits a random time in [0, min(maxDelayMs, baseDelayMs·2ⁿ⁻¹)]. */
export interface OutboxConfig extends Backoff {
  /** How long a claim is held. A worker that dies mid-send loses it after this and another attempt takes over. */
  leaseMs: number;
}

export const DEFAULT_OUTBOX_CONFIG: OutboxConfig = { leaseMs: 2 * 60_000, ...BACKOFF };

export interface Clock {
  now(): number;
}

/** One endpoint's copy of a report, frozen and signed for it alone. */
export interface FrozenCopy {
  endpoint: string;
  report: Report;
}

export interface Claim {
  delivery: Delivery;
  report: Report;
  artefacts: Artefact[];
}

/** A report as the person sees it: what they wrote, where it is going, and their answers to questions about it. */
export interface OutboxEntry {
  draft: Draft;
  deliveries: Delivery[];
  /** Absent from entries listed by an older background. */
  answers?: QueuedAnswer[];
}

export interface AnswerClaim {
  answer: QueuedAnswer;
  receipt: Receipt;
  artefacts: Artefact[];
}

export interface NewAnswer {
  reportId: string;
  endpoint: string;
  questionId: string;
  text: string;
  /** Added captures or uploads; their bytes are in the artefacts store already (kept by the capture flow). */
  items?: Item[];
  /**
   * An unsent report whose captures go with the answer instead (made with the usual capture flow: "Report this page"):
   * its items join the answer and the draft goes, in the same transaction, its evidence bytes kept for the answer.
   */
  fromDraftId?: string;
}

export class Outbox {
  constructor(
    private readonly db: OhrDatabase,
    private readonly clock: Clock = { now: () => Date.now() },
    private readonly config: OutboxConfig = DEFAULT_OUTBOX_CONFIG,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Freezes draft `draftId`: keeps the person's own copy (`own`, unless one is kept already) and queues each endpoint's
   * copy, in one strict transaction with the draft's change of state: after this resolves the report survives a
   * crash, and before it nothing has changed. An endpoint that already has a delivery of this draft keeps it; the copy
   * made for it here is dropped.
   */
  async enqueue(draftId: string, own: Report, copies: readonly FrozenCopy[]): Promise<void> {
    const now = this.clock.now();
    const stamp = new Date(now).toISOString();
    const tx = this.db.transaction([...DRAFT_STORES, 'reports', 'deliveries'], 'readwrite', STRICT);
    await markQueued(tx, draftId, stamp);
    const reports = tx.objectStore('reports');
    if (!(await reports.get(draftId))) await reports.put({ id: draftId, report: own, queuedAt: stamp });
    const deliveries = tx.objectStore('deliveries');
    for (const { endpoint, report } of copies) {
      if (await deliveries.get([draftId, endpoint])) continue;
      await reports.put({ id: deliveryKey({ reportId: draftId, endpoint }), report, queuedAt: stamp });
      await deliveries.put({
        reportId: draftId,
        endpoint,
        status: 'queued',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: stamp,
        updatedAt: stamp,
      });
    }
    await tx.done;
  }

  /**
   * Takes the next due delivery (queued and due, or sending with a lapsed lease) under a fresh lease, passing over
   * those in `skip` (keyed by `deliveryKey`).
   */
  async claim(skip: ReadonlySet<string> = new Set()): Promise<Claim | undefined> {
    const now = this.clock.now();
    const tx = this.db.transaction(['deliveries', 'reports'], 'readwrite');
    let cursor = await tx.objectStore('deliveries').index('byNextAttempt').openCursor(IDBKeyRange.upperBound(now));
    let claimed: Delivery | undefined;
    let queued: QueuedReport | undefined;
    while (cursor && !claimed) {
      const delivery = cursor.value;
      if ((delivery.status === 'queued' || delivery.status === 'sending') && !skip.has(deliveryKey(delivery))) {
        const reports = tx.objectStore('reports');
        queued = (await reports.get(deliveryKey(delivery))) ?? (await reports.get(delivery.reportId));
        if (queued) {
          const until = now + this.config.leaseMs;
          claimed = {
            ...delivery,
            status: 'sending',
            attempts: delivery.attempts + 1,
            lease: { id: crypto.randomUUID(), until },
            nextAttemptAt: until,
            updatedAt: new Date(now).toISOString(),
          };
          await cursor.update(claimed);
          break;
        }
      }
      cursor = await cursor.continue();
    }
    await tx.done;
    if (!claimed || !queued) return undefined;
    return { delivery: claimed, report: queued.report, artefacts: await artefactsFor(this.db, queued.report.items) };
  }

  /** Records the endpoint's receipt. The first receipt wins: a late duplicate answer carries the same reference. */
  async acknowledge(claim: Claim, receipt: Receipt): Promise<void> {
    await this.change(claim.delivery, STRICT, (current) =>
      current.status === 'sent' || current.status === 'withdrawn'
        ? undefined
        : { ...withoutLease(current), status: 'sent', receipt, nextAttemptAt: NEVER, lastError: undefined },
    );
  }

  /** After a failed attempt: schedule a retry, or stop and wait for the person when retrying cannot help. */
  async release(claim: Claim, failure: SendFailure): Promise<void> {
    const now = this.clock.now();
    const lastError = {
      message: failure.message,
      ...('status' in failure ? { status: failure.status } : {}),
      ...(failure.kind === 'rejected' && failure.fields ? { fields: failure.fields } : {}),
      at: new Date(now).toISOString(),
    };
    await this.change(claim.delivery, undefined, (current) => {
      if (current.status !== 'sending' || current.lease?.id !== claim.delivery.lease?.id) return undefined;
      if (failure.kind === 'rejected') return { ...withoutLease(current), status: 'needs_attention', nextAttemptAt: NEVER, lastError };
      return { ...withoutLease(current), status: 'queued', nextAttemptAt: now + this.retryDelay(current.attempts, failure), lastError };
    });
  }

  /**
   * A service worker that starts again is the only sender there is, so whatever was `sending` belonged to a worker
   * that died: queue it at once rather than wait for its lease to run out.
   */
  async reclaimOrphans(): Promise<number> {
    const now = this.clock.now();
    const tx = this.db.transaction('deliveries', 'readwrite');
    let reclaimed = 0;
    for await (const cursor of tx.store) {
      if (cursor.value.status !== 'sending') continue;
      await cursor.update({ ...withoutLease(cursor.value), status: 'queued', nextAttemptAt: now });
      reclaimed++;
    }
    await tx.done;
    const answers = this.db.transaction('answers', 'readwrite');
    for await (const cursor of answers.store) {
      if (cursor.value.status !== 'sending') continue;
      await cursor.update({ ...withoutAnswerLease(cursor.value), status: 'queued', nextAttemptAt: now });
      reclaimed++;
    }
    await answers.done;
    return reclaimed;
  }

  /** "Retry now": makes a waiting or stopped delivery due immediately. */
  async retryNow(reportId: string, endpoint?: string): Promise<void> {
    const now = this.clock.now();
    for (const delivery of await this.deliveriesOf(reportId)) {
      if (endpoint !== undefined && delivery.endpoint !== endpoint) continue;
      await this.change(delivery, undefined, (current) =>
        current.status === 'queued' || current.status === 'needs_attention'
          ? { ...current, status: 'queued', nextAttemptAt: now }
          : undefined,
      );
    }
  }

  async recordRemoteStatus(delivery: Delivery, remote: StatusResponse): Promise<void> {
    const checkedAt = new Date(this.clock.now()).toISOString();
    await this.change(delivery, undefined, (current) => ({
      ...current,
      remote: { ...remote, checkedAt },
      status: remote.outcome === 'withdrawn' ? 'withdrawn' : current.status,
    }));
  }

  /**
   * An endpoint that has just accepted a report is reachable again: deliveries to it that are waiting out a backoff
   * are made due now, so a queue built up during an outage drains at once instead of over the next backoff.
   */
  async expedite(endpoint: string): Promise<number> {
    const now = this.clock.now();
    const tx = this.db.transaction('deliveries', 'readwrite');
    let expedited = 0;
    let cursor = await tx.store.index('byNextAttempt').openCursor(IDBKeyRange.bound(now, NEVER, true, true));
    while (cursor) {
      if (cursor.value.endpoint === endpoint && cursor.value.status === 'queued') {
        await cursor.update({ ...cursor.value, nextAttemptAt: now });
        expedited++;
      }
      cursor = await cursor.continue();
    }
    await tx.done;
    return expedited;
  }

  /** The earliest time anything is due, for scheduling the next alarm; undefined when nothing waits. */
  async nextDueAt(): Promise<number | undefined> {
    const tx = this.db.transaction(['deliveries', 'answers']);
    const due = IDBKeyRange.upperBound(NEVER, true);
    const [delivery, answer] = await Promise.all([
      tx.objectStore('deliveries').index('byNextAttempt').openCursor(due),
      tx.objectStore('answers').index('byNextAttempt').openCursor(due),
    ]);
    const times = [delivery?.value.nextAttemptAt, answer?.value.nextAttemptAt].filter((at): at is number => at !== undefined);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /**
   * Keeps the person's answer to a question, durably (strict), before anything is sent: after this resolves it
   * survives a crash or a closed browser and goes when the endpoint can be reached. One answer per question and
   * endpoint: saving again returns the one already kept, so a double click never makes two.
   */
  async enqueueAnswer(input: NewAnswer, newId: () => string = () => crypto.randomUUID()): Promise<QueuedAnswer> {
    const now = this.clock.now();
    const stamp = new Date(now).toISOString();
    const tx = this.db.transaction(['answers', 'drafts'], 'readwrite', STRICT);
    const answers = tx.objectStore('answers');
    const kept = (await answers.index('byReport').getAll(input.reportId)).find(
      (answer) => answer.endpoint === input.endpoint && answer.questionId === input.questionId,
    );
    if (kept) {
      await tx.done;
      return kept;
    }
    const draft = input.fromDraftId ? await tx.objectStore('drafts').get(input.fromDraftId) : undefined;
    if (input.fromDraftId && draft?.status !== 'draft') throw new Error(`No unsent report ${input.fromDraftId} to add`);
    const items = [...(input.items ?? []), ...(draft?.items ?? [])];
    if (draft) await tx.objectStore('drafts').delete(draft.id);
    const id = newId();
    const queued: QueuedAnswer = {
      id,
      reportId: input.reportId,
      endpoint: input.endpoint,
      questionId: input.questionId,
      answer: { id, text: input.text, ...(items.length ? { items } : {}) },
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: stamp,
      updatedAt: stamp,
    };
    await answers.put(queued);
    await tx.done;
    return queued;
  }

  /** Takes the next due answer under a lease, as `claim` does a delivery; it needs its report's receipt to be sent. */
  async claimAnswer(skip: ReadonlySet<string> = new Set()): Promise<AnswerClaim | undefined> {
    const now = this.clock.now();
    const tx = this.db.transaction(['answers', 'deliveries'], 'readwrite');
    let cursor = await tx.objectStore('answers').index('byNextAttempt').openCursor(IDBKeyRange.upperBound(now));
    let claimed: AnswerClaim | undefined;
    while (cursor && !claimed) {
      const answer = cursor.value;
      if ((answer.status === 'queued' || answer.status === 'sending') && !skip.has(answer.id)) {
        const delivery = await tx.objectStore('deliveries').get([answer.reportId, answer.endpoint]);
        if (delivery?.receipt) {
          const until = now + this.config.leaseMs;
          const next: QueuedAnswer = { ...answer, status: 'sending', attempts: answer.attempts + 1, lease: { id: crypto.randomUUID(), until }, nextAttemptAt: until };
          await cursor.update(next);
          claimed = { answer: next, receipt: delivery.receipt, artefacts: [] };
          break;
        }
      }
      cursor = await cursor.continue();
    }
    await tx.done;
    if (!claimed) return undefined;
    return { ...claimed, artefacts: await artefactsFor(this.db, claimed.answer.answer.items ?? []) };
  }

  async acknowledgeAnswer(claim: AnswerClaim, receipt: AnswerReceipt): Promise<void> {
    await this.changeAnswer(claim.answer.id, STRICT, (current) =>
      current.status === 'sent' ? undefined : { ...withoutAnswerLease(current), status: 'sent', receipt, nextAttemptAt: NEVER, lastError: undefined },
    );
  }

  /** After a failed attempt: retry later, or stop and show the person why when resending cannot help. */
  async releaseAnswer(claim: AnswerClaim, failure: SendFailure): Promise<void> {
    const now = this.clock.now();
    const lastError = {
      message: failure.message,
      ...('status' in failure ? { status: failure.status } : {}),
      ...(failure.kind === 'rejected' && failure.fields ? { fields: failure.fields } : {}),
      at: new Date(now).toISOString(),
    };
    await this.changeAnswer(claim.answer.id, undefined, (current) => {
      if (current.status !== 'sending' || current.lease?.id !== claim.answer.lease?.id) return undefined;
      if (failure.kind === 'rejected') return { ...withoutAnswerLease(current), status: 'needs_attention', nextAttemptAt: NEVER, lastError };
      return { ...withoutAnswerLease(current), status: 'queued', nextAttemptAt: now + this.retryDelay(current.attempts, failure), lastError };
    });
  }

  async answersOf(reportId: string): Promise<QueuedAnswer[]> {
    return this.db.getAllFromIndex('answers', 'byReport', reportId);
  }

  private async changeAnswer(id: string, options: typeof STRICT | undefined, change: (current: QueuedAnswer) => QueuedAnswer | undefined): Promise<void> {
    const tx = this.db.transaction('answers', 'readwrite', options);
    const current = await tx.store.get(id);
    const next = current && change(current);
    if (next) await tx.store.put({ ...next, updatedAt: new Date(this.clock.now()).toISOString() });
    await tx.done;
  }

  async deliveriesOf(reportId: string): Promise<Delivery[]> {
    return this.db.getAllFromIndex('deliveries', 'byReport', reportId);
  }

  /** Every report, newest first, with its deliveries. */
  async entries(): Promise<OutboxEntry[]> {
    const tx = this.db.transaction([...DRAFT_STORES, 'deliveries', 'answers']);
    const [drafts, deliveries, answers] = await Promise.all([draftsNewestFirst(tx), tx.objectStore('deliveries').getAll(), tx.objectStore('answers').getAll()]);
    return drafts.map((draft) => ({
      draft,
      deliveries: deliveries.filter((delivery) => delivery.reportId === draft.id),
      answers: answers.filter((answer) => answer.reportId === draft.id),
    }));
  }

  /**
   * Deletes the local copy of a report: the draft, the frozen report, its deliveries, and evidence bytes no other
   * report uses. A delivery still on its way is cancelled with it; the caller asks the person first.
   */
  async deleteLocal(reportId: string): Promise<void> {
    const tx = this.db.transaction([...DRAFT_STORES, 'reports', 'deliveries', 'answers'], 'readwrite', STRICT);
    await deleteDraft(tx, reportId);
    // Answers go too, with the evidence bytes of the captures they added that nothing else on this computer uses.
    const answers = tx.objectStore('answers');
    const added = new Set<string>();
    for (const answer of await answers.index('byReport').getAll(reportId)) {
      for (const item of answer.answer.items ?? []) for (const evidence of item.evidence) added.add(evidence.sha256);
      await answers.delete(answer.id);
    }
    const stillUsed = new Set(
      [...(await tx.objectStore('drafts').getAll()), ...(await answers.getAll()).map((answer) => ({ items: answer.answer.items ?? [] }))].flatMap((owner) =>
        owner.items.flatMap((item) => item.evidence.map((evidence) => evidence.sha256)),
      ),
    );
    for (const sha256 of added) if (!stillUsed.has(sha256)) await tx.objectStore('artefacts').delete(sha256);
    for (const [, endpoint] of await tx.objectStore('deliveries').index('byReport').getAllKeys(reportId)) {
      await tx.objectStore('deliveries').delete([reportId, endpoint]);
      await tx.objectStore('reports').delete(deliveryKey({ reportId, endpoint }));
    }
    await tx.objectStore('reports').delete(reportId);
    await tx.done;
  }

  /** `attempts` counts the one that just failed, so the first retry is retry 0 of the shared backoff. */
  private retryDelay(attempts: number, failure: SendFailure): number {
    const asked = failure.kind === 'retry' && failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : 0;
    return backoffMs(Math.max(0, attempts - 1), asked, this.random, this.config);
  }

  /** Read-modify-write of one delivery in one transaction; `change` returns undefined to leave it as it is. */
  private async change(delivery: Delivery, options: typeof STRICT | undefined, change: (current: Delivery) => Delivery | undefined): Promise<void> {
    const tx = this.db.transaction('deliveries', 'readwrite', options);
    const current = await tx.store.get([delivery.reportId, delivery.endpoint]);
    const next = current && change(current);
    if (next) await tx.store.put({ ...next, updatedAt: new Date(this.clock.now()).toISOString() });
    await tx.done;
  }
}

/**
 * The person's own copy of the report as it was frozen (and signed) when the draft was sent: what an evidence pack
 * holds. Its id is the draft's and its key its own, neither of which any organisation receives, so a pack handed to
 * someone matches no organisation's copy by anything but content.
 */
export async function frozenReport(db: OhrDatabase, reportId: string): Promise<Report | undefined> {
  return (await db.get('reports', reportId))?.report;
}

export function deliveryKey(delivery: Pick<Delivery, 'reportId' | 'endpoint'>): string {
  return `${delivery.reportId} ${delivery.endpoint}`;
}

function withoutLease(delivery: Delivery): Delivery {
  const { lease: _lease, ...rest } = delivery;
  return rest;
}

function withoutAnswerLease(answer: QueuedAnswer): QueuedAnswer {
  const { lease: _lease, ...rest } = answer;
  return rest;
}

export type AnswerSender = (claim: AnswerClaim) => Promise<Result<AnswerReceipt>>;

/** Sends every due answer, one at a time (answers are few), each at most once per drain, as `drain` does reports. */
export async function drainAnswers(outbox: Outbox, send: AnswerSender): Promise<DrainSummary> {
  const summary: DrainSummary = { sent: 0, failed: 0 };
  const tried = new Set<string>();
  for (let claim = await outbox.claimAnswer(tried); claim; claim = await outbox.claimAnswer(tried)) {
    tried.add(claim.answer.id);
    const result = await send(claim);
    if (result.ok) {
      await outbox.acknowledgeAnswer(claim, result.value);
      summary.sent++;
    } else {
      await outbox.releaseAnswer(claim, result.failure);
      summary.failed++;
    }
  }
  return summary;
}

export type Sender = (claim: Claim) => Promise<Result<Receipt>>;

export interface DrainSummary {
  sent: number;
  failed: number;
}

/**
 * Sends everything that is due, `lanes` deliveries at a time, until nothing is due. Claims are atomic, so lanes never
 * take the same delivery. Each delivery is tried at most once per drain: one that fails waits for a later drain, so
 * a short backoff cannot spin this loop.
 */
export async function drain(outbox: Outbox, send: Sender, lanes = 4): Promise<DrainSummary> {
  const summary: DrainSummary = { sent: 0, failed: 0 };
  const recovered = new Set<string>();
  const tried = new Set<string>();
  async function lane(): Promise<void> {
    for (let claim = await outbox.claim(tried); claim; claim = await outbox.claim(tried)) {
      tried.add(deliveryKey(claim.delivery));
      const result = await send(claim);
      if (!result.ok) {
        await outbox.release(claim, result.failure);
        summary.failed++;
        continue;
      }
      await outbox.acknowledge(claim, result.value);
      summary.sent++;
      // Once per drain and endpoint is enough: later successes would find nothing more to expedite.
      if (!recovered.has(claim.delivery.endpoint)) {
        recovered.add(claim.delivery.endpoint);
        await outbox.expedite(claim.delivery.endpoint);
      }
    }
  }
  await Promise.all(Array.from({ length: lanes }, lane));
  return summary;
}
