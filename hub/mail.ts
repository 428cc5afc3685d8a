/**
 * Outgoing email through the organisation's own SMTP server (`smtp` in the hub's settings), with nodemailer. One
 * plain-text message to one address at a time: what the hub sends is short and carries as little as it can (a reset
 * link and nothing else about the hub's reports or accounts). A sender is made once per hub and reused.
 */
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import type { SmtpConfig } from './config';

export const MailMessage = z.object({
  to: z.email(),
  subject: z.string().min(1).max(200),
  text: z.string().min(1).max(10_000),
  /** e.g. `<delivery-id@ohr.invalid>`: the same on every retry of one delivery, so a mailbox can drop a duplicate. */
  messageId: z.string().regex(/^<[^<>\s@]+@[^<>\s@]+>$/).optional(),
  /** The language the text is in (Content-Language), e.g. `cy`. */
  language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/).optional(),
});
export type MailMessage = z.infer<typeof MailMessage>;

export interface Mailer {
  /**
   * Resolves once the server accepted the message, with its reply code (250); rejects with the server's or the
   * connection's error (nodemailer's, whose `responseCode` is the server's reply code when it gave one).
   */
  send(message: MailMessage): Promise<{ replyCode?: number }>;
  close(): void;
}

/** Waits at most this long for the mail server at each step, so a page that sends an email never hangs on it. */
const TIMEOUT_MS = 15_000;

/** A sender for `config`, or undefined when the hub has no email configured. */
export function createMailer(config: SmtpConfig | undefined): Mailer | undefined {
  if (!config) return undefined;
  // Settings the URL leaves out come from here; the URL's own query (e.g. `?requireTLS=true`) wins over them.
  const transport = createTransport(
    { url: config.url, connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS },
    { from: config.from },
  );
  return {
    async send(message) {
      const { language, ...mail } = MailMessage.parse(message);
      const info = await transport.sendMail({ ...mail, ...(language ? { headers: { 'Content-Language': language } } : {}) });
      const code = /^(\d{3})\b/.exec(String(info.response ?? ''))?.[1];
      return code ? { replyCode: Number(code) } : {};
    },
    close() {
      transport.close();
    },
  };
}
