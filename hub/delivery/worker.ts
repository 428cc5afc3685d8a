/**
 * The delivery worker: sends what the outbox (hub/domain/deliveries.ts) holds due, alerts for urgent reports by email
 * and signed webhook, notifications to reporters by email, and records each try. Started by startHub; woken right
 * after a commit that queued something, and looking every POLL_MS anyway (for rows queued by another hub process, a
 * retry coming due, a claim left by a process that stopped).
 *
 * At least once, never twice at once: a row is claimed with a lease (claimDue), so several workers (in one process or
 * in several hub processes on one PostgreSQL) never send one row together; a worker that stops mid-send leaves the
 * lease to lapse and the row is sent again, with the same delivery id for the receiver to drop the duplicate.
 */
import type { Logger } from 'pino';
import { ct } from '../../lib/i18n/console';
import { notificationEmail, notificationLanguage } from '../../lib/i18n/notifications';
import type { AlertsConfig } from '../config';
import type { Database } from '../db';
import {
  alertFacts,
  claimDue,
  destinationId,
  onDeliveriesDue,
  recordAttempt,
  reporterAddress,
  REPORTER,
  type AlertDestination,
  type AttemptResult,
  type ClaimedDelivery,
} from '../domain/deliveries';
import type { Mailer } from '../mail';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook } from './signature';

/** How often the worker looks without being woken. */
const POLL_MS = 15_000;
/** Rows claimed per look; each is sent at once, side by side. */
const BATCH = 10;
/** A webhook must answer within this; the claim outlasts the slowest send (SMTP waits 15 s per step, mail.ts). */
const WEBHOOK_TIMEOUT_MS = 10_000;
const LEASE_MS = 2 * 60_000;
/** First retry after about 30 s, doubling to at most 6 hours: ten tries span about a day. */
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 6 * 60 * 60_000;

/** Exponential backoff with jitter (0.5× to 1.5×), so receivers that were down together are not hit together. */
export function defaultBackoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)) * (0.5 + random());
}

/** The configured destinations with their stable ids (stored by syncAlertDestinations). */
export function alertDestinations(alerts: AlertsConfig): AlertDestination[] {
  return [
    ...alerts.emails.map((target) => ({ id: destinationId('email', target), channel: 'email' as const, target })),
    ...alerts.webhooks.map((target) => ({ id: destinationId('webhook', target), channel: 'webhook' as const, target })),
  ];
}

/** A configuration the worker could not carry out, said at start rather than at the first urgent report. */
export function deliveryProblems(alerts: AlertsConfig, hasSmtp: boolean): string[] {
  const problems: string[] = [];
  if (alerts.emails.length > 0 && !hasSmtp) problems.push('alerts.emails: alert emails need a mail server (smtp.url and smtp.from)');
  if (alerts.webhooks.length > 0 && !alerts.webhookSecret) {
    problems.push('alerts.webhookSecret: webhooks need a shared secret to sign with (OHR_ALERT_WEBHOOK_SECRET)');
  }
  return problems;
}

/** The JSON an urgent report's webhook carries; the email says the same in words. Never the report's content. */
export interface UrgentAlert {
  type: 'report.urgent';
  deliveryId: string;
  reference: string;
  /** Which of the urgency questions were answered yes. */
  urgency: { immediateDanger: boolean; perpetratorIdentityKnown: boolean; relatesToFutureEvent: boolean };
  receivedAt: string;
  /** The report in the triage console (sign-in needed). */
  url: string;
}

export interface WorkerOptions {
  db: Database;
  alerts: AlertsConfig;
  mailer: Mailer | undefined;
  /** The hub's public address (publicBaseUrl, else where it listens): console and status links start with it. */
  baseUrl: string;
  /** The organisation's name, as notifications to reporters say who is writing. */
  organisation: string;
  logger: Logger;
  now?: () => Date;
  backoffMs?: (attempt: number) => number;
  fetch?: typeof fetch;
}

type Outcome = { result: AttemptResult; final?: 'dropped' };

export class DeliveryWorker {
  private readonly now: () => Date;
  private readonly backoffMs: (attempt: number) => number;
  private readonly fetch: typeof fetch;
  private readonly destinations: Map<string, AlertDestination>;
  private running: Promise<number> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly options: WorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.backoffMs = options.backoffMs ?? ((attempt) => defaultBackoffMs(attempt));
    this.fetch = options.fetch ?? fetch;
    this.destinations = new Map(alertDestinations(options.alerts).map((d) => [d.id, d]));
  }

  /** Looks at once, then when woken and every POLL_MS. */
  start(): void {
    const { db } = this.options;
    this.unsubscribe.push(onDeliveriesDue(db, () => this.wake()));
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  /** Sends what is due now; a wake during a run makes it look once more when it ends. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runUntilIdle()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'delivery worker: a look failed; it looks again soon');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Claims and sends due rows until none is due; resolves to how many tries were made. */
  async runUntilIdle(): Promise<number> {
    let tries = 0;
    for (;;) {
      const claimed = await claimDue(this.options.db, this.now(), LEASE_MS, BATCH);
      if (claimed.length === 0) return tries;
      await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
      tries += claimed.length;
    }
  }

  /** Stops looking; resolves once a look in progress has recorded its tries. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.send(delivery);
    } catch (error) {
      outcome = { result: failure(error) };
    }
    const at = this.now();
    const { result } = outcome;
    const next = result.ok
      ? ({ state: 'sent' } as const)
      : outcome.final
        ? ({ state: outcome.final } as const)
        : delivery.attempt >= this.options.alerts.maxAttempts
          ? ({ state: 'failed' } as const)
          : ({ state: 'pending', retryAt: new Date(at.getTime() + this.backoffMs(delivery.attempt)) } as const);
    await recordAttempt(this.options.db, delivery, at, result, next);
    const log = { delivery: delivery.id, kind: delivery.kind, channel: delivery.channel, attempt: delivery.attempt, code: result.code, state: next.state };
    if (result.ok) this.options.logger.info(log, 'delivery sent');
    else this.options.logger.warn({ ...log, reason: result.reason }, next.state === 'pending' ? 'delivery failed; it will be tried again' : 'delivery failed for good');
  }

  private async send(delivery: ClaimedDelivery): Promise<Outcome> {
    if (delivery.destination === REPORTER) return this.notifyReporter(delivery);
    const destination = this.destinations.get(delivery.destination);
    if (!destination) return { result: { ok: false, reason: 'destination no longer in the settings' }, final: 'dropped' };
    const facts = await alertFacts(this.options.db, delivery.reference);
    if (!facts) return { result: { ok: false, reason: 'report no longer exists' }, final: 'dropped' };
    const alert: UrgentAlert = {
      type: 'report.urgent',
      deliveryId: delivery.id,
      reference: delivery.reference,
      urgency: {
        immediateDanger: facts.urgency.immediateDanger === true,
        perpetratorIdentityKnown: facts.urgency.perpetratorIdentityKnown === true,
        relatesToFutureEvent: facts.urgency.relatesToFutureEvent === true,
      },
      receivedAt: facts.receivedAt.toISOString(),
      url: `${this.options.baseUrl}/console/reports/${encodeURIComponent(delivery.reference)}`,
    };
    return { result: destination.channel === 'webhook' ? await this.post(destination.target, alert) : await this.emailAlert(destination.target, alert) };
  }

  private async post(url: string, alert: UrgentAlert): Promise<AttemptResult> {
    const body = JSON.stringify(alert);
    const secret = this.options.alerts.webhookSecret;
    if (!secret) return { ok: false, reason: 'no webhook secret in the settings' };
    const response = await this.fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'OHR-hub',
        [DELIVERY_HEADER]: alert.deliveryId,
        [SIGNATURE_HEADER]: signWebhook(secret, body, this.now()),
      },
      body,
      // A redirect is an answer, not a delivery: following it would send the alert somewhere the organisation never named.
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    // The body is never read into the log (a receiver could echo anything); it is only drained.
    await response.body?.cancel();
    return response.ok ? { ok: true, code: response.status } : { ok: false, code: response.status, reason: `HTTP ${response.status}` };
  }

  private async emailAlert(to: string, alert: UrgentAlert): Promise<AttemptResult> {
    if (!this.options.mailer) return { ok: false, reason: 'no mail server in the settings' };
    const yes = (Object.keys(alert.urgency) as Array<keyof UrgentAlert['urgency']>).filter((question) => alert.urgency[question]);
    const sent = await this.options.mailer.send({
      to,
      subject: ct('alert.subject', { reference: alert.reference }),
      text: [
        ct('alert.received', { at: alert.receivedAt, reference: alert.reference }),
        ct('alert.answers', { answers: yes.map((question) => ct(`alert.${question}`)).join('; ') }),
        ct('alert.open', { url: alert.url }),
        ct('alert.footer', { id: alert.deliveryId }),
      ].join('\n\n'),
      messageId: `<${alert.deliveryId}@ohr.invalid>`,
      language: 'en',
    });
    return { ok: true, ...(sent.replyCode ? { code: sent.replyCode } : {}) };
  }

  private async notifyReporter(delivery: ClaimedDelivery): Promise<Outcome> {
    if (delivery.kind === 'urgent_report') return { result: { ok: false, reason: 'an alert is not for a reporter' }, final: 'dropped' };
    if (!this.options.mailer) return { result: { ok: false, reason: 'no mail server in the settings' } };
    const address = await reporterAddress(this.options.db, delivery.reference);
    if (!address) return { result: { ok: false, reason: 'no address: the report was erased or the consent is gone' }, final: 'dropped' };
    const language = notificationLanguage(address.language);
    const email = notificationEmail(delivery.kind, language, {
      reference: delivery.reference,
      organisation: this.options.organisation,
      // The page in the email's language, with the reference filled in; never the status code, which would let anyone
      // who reads the mailbox read the status and answer questions.
      link: `${this.options.baseUrl}/status?lang=${language}&reference=${encodeURIComponent(delivery.reference)}`,
    });
    const sent = await this.options.mailer.send({ to: address.email, ...email, messageId: `<${delivery.id}@ohr.invalid>`, language });
    return { result: { ok: true, ...(sent.replyCode ? { code: sent.replyCode } : {}) } };
  }
}

/** A failed try in words and a code, from nodemailer's or fetch's error; never a message body. */
function failure(error: unknown): AttemptResult {
  const detail = error as { responseCode?: unknown; code?: unknown; name?: unknown };
  const code = typeof detail.responseCode === 'number' ? detail.responseCode : undefined;
  const reason =
    code !== undefined
      ? `SMTP ${code}`
      : detail.name === 'TimeoutError'
        ? 'no answer in time'
        : typeof detail.code === 'string'
          ? `connection failed (${detail.code})`
          : typeof (error as { cause?: { code?: unknown } }).cause?.code === 'string'
            ? `connection failed (${String((error as { cause: { code: string } }).cause.code)})`
            : 'send failed';
  return { ok: false, ...(code !== undefined ? { code } : {}), reason };
}
