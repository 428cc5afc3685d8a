/**
 * Quick checks before a step is left, with the schema's own rules and words (`lib/schema/vocabulary.ts`), so the
 * person hears the same thing the hub would say. The hub's 422 `fields` remain the final word after sending.
 */
import { contactByMessage, MESSAGES, PHONE_PATTERN } from '@/lib/schema/vocabulary';
import { regexes } from 'zod/v4/core';
import { read, type Answers } from './answers';
import type { FieldErrors } from './fields';

export interface ItemAnswer {
  url: string;
  uploads: { sha256: string }[];
}

const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

/** What `z.url({ protocol: /^https?$/ })` accepts: an address the URL parser reads, on http or https. */
export function isWebUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}

export function checkStep(step: string, answers: Answers, items: readonly ItemAnswer[]): FieldErrors {
  const errors: FieldErrors = {};
  if (step === 'what' && blank(read(answers, 'incident.summary'))) errors['incident.summary'] = MESSAGES.summary;
  if (step === 'contact' && read(answers, 'reporter.anonymous') === false) {
    // Each way to be reached: well formed if given, and given if it is the chosen channel.
    for (const [channel, pattern, message] of [['email', regexes.email, MESSAGES.email], ['phone', PHONE_PATTERN, MESSAGES.phone]] as const) {
      const path = `reporter.${channel}`;
      const value = read(answers, path);
      if (blank(value)) {
        if (read(answers, 'reporter.contact.channel') === channel) errors[path] = contactByMessage(channel);
      } else if (!pattern.test(String(value).trim())) errors[path] = message;
    }
  }
  if (step === 'items') {
    if (!items.some((item) => item.url.trim())) errors['items'] = MESSAGES.items;
    items.forEach((item, index) => {
      if ((item.url.trim() || item.uploads.length > 0) && !isWebUrl(item.url.trim())) errors[`items.${index}.url`] = MESSAGES.webUrl;
    });
  }
  return errors;
}
