import { t } from '@/lib/i18n';
import { LIMITS } from '@/lib/schema';
import { TextField } from './fields';
import type { StepProps } from './types';

/** The one required answer: a few words are enough, so a simple report stays quick. */
export function WhatStep({ summary, errors, setSummary }: StepProps) {
  return (
    <>
      <TextField
        path="incident.summary"
        label={t('what.summary')}
        hint={t('what.hint')}
        value={summary}
        onInput={setSummary}
        errors={errors}
        maxLength={LIMITS.summary}
        multiline
      />
      {summary.length <= LIMITS.summary && (
        <p class="hint" aria-live="polite">
          {t('what.remaining', { count: LIMITS.summary - summary.length })}
        </p>
      )}
    </>
  );
}
