import { t } from '@/lib/i18n';
import { LIMITS } from '@/lib/schema';
import { Checkbox, FieldError, TextField } from './fields';
import type { StepProps } from './types';

/**
 * The DSA Article 16 notice: the reasons and the good-faith statement. Shown only when the person lets the
 * organisation report it to the platform, which is when a notice is needed.
 */
export function GroundsStep({ details, errors, change }: StepProps) {
  const grounds = details.grounds ?? {};
  return (
    <>
      <p>{t('grounds.intro')}</p>
      <TextField
        path="grounds.explanation"
        label={t('grounds.explanation')}
        multiline
        maxLength={LIMITS.summary}
        value={grounds.explanation}
        onInput={(explanation) => change({ grounds: { explanation } })}
        errors={errors}
      />
      <FieldError path="grounds.goodFaith.accepted" errors={errors} />
      <Checkbox
        id="grounds.goodFaith.accepted"
        label={t('grounds.goodFaith')}
        checked={grounds.goodFaithAt !== undefined}
        onChange={(on) => change({ grounds: { goodFaithAt: on ? new Date().toISOString() : undefined } })}
      />
    </>
  );
}
