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
    const email = read(answers, 'reporter.email');
    const phone = read(answers, 'reporter.phone');
    if (!blank(email) && !regexes.email.test(String(email).trim())) errors['reporter.email'] = MESSAGES.email;
    if (!blank(phone) && !PHONE_PATTERN.test(String(phone).trim())) errors['reporter.phone'] = MESSAGES.phone;
    const channel = read(answers, 'reporter.contact.channel');
    if ((channel === 'email' || channel === 'phone') && blank(read(answers, `reporter.${channel}`))) {
      errors[`reporter.${channel}`] = contactByMessage(channel);
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
