/**
 * The report the widget sends: the shared `reportFromAnswers` builds it from the form's answers, with the same safe
 * defaults as the extension. Each pasted address is an item with its uploaded screenshots.
 */
import { withEmailUpdates } from '@/lib/report/email-updates';
import { reportFromAnswers } from '@/lib/report/from-answers';
import { platformOf } from '@/lib/report/platform';
import type { Item, PerceptualHash, Report } from '@/lib/schema';
import type { Answers } from './answers';
import type { Upload } from './uploads';

export interface WidgetItem {
  url: string;
  uploads: Upload[];
  /** The post's words, when the report app was given them by a share (widget/app/share.ts); never empty. The form asks for none. */
  text?: string;
  /**
   * Pictures sent only as their fingerprints (intimate-image abuse, `fingerprint-field.ts`), as the report carries
   * them (never empty: absent when there are none), and the files' names to list them by, in the same order. Neither
   * the pictures nor their bytes are kept.
   */
  perceptualHashes?: PerceptualHash[];
  fingerprintNames?: string[];
  /** The person unticked "send only a fingerprint": this address's pictures go as files (where fingerprints are offered). */
  asFiles?: boolean;
}

/** Identifies the widget to the hub, as the extension names itself. */
const CLIENT = { app: 'ohr-widget', version: '1' };

export function buildReport(id: string, answers: Answers, items: readonly WidgetItem[], now = new Date().toISOString()): Report {
  const { summary = '', ...incident } = answers.incident ?? {};
  const given = items.filter((item) => item.url.trim()).map((item) => toItem(item, now));
  // Email updates only where the person ticked them and gave an address, as the extension sends them.
  return withEmailUpdates(reportFromAnswers({ id, createdAt: now, summary, details: { ...answers, incident }, items: given }, CLIENT), answers.reporter);
}

function toItem({ url, uploads, text, perceptualHashes }: WidgetItem, now: string): Item {
  const address = url.trim();
  return {
    url: address,
    platform: platformOf(address),
    kind: 'page',
    text,
    capturedAt: now,
    captureMethod: 'widget_upload',
    evidence: uploads.map((upload) => ({ sha256: upload.sha256, mediaType: upload.mediaType, bytes: upload.blob.size, kind: 'upload' })),
    perceptualHashes,
  };
}

/** Every upload once, by hash: what must reach the hub before the report. */
export function uploadsOf(items: readonly WidgetItem[]): Upload[] {
  return [...new Map(items.flatMap((item) => item.uploads).map((upload) => [upload.sha256, upload])).values()];
}
