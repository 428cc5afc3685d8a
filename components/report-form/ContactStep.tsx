import { CONTACT_LANGUAGES, t } from '@/lib/i18n';
import { AgeBand, ContactChannel, LIMITS } from '@/lib/schema';
import { isAnonymous, sealing } from './destinations';
import { Checkbox, RadioGroup, TextField, YesNo } from './fields';
import { SealedNote } from './SealedNote';
import type { StepProps } from './types';

const CONSENTS = ['police', 'platform', 'supportReferral'] as const;

/** Anonymous by default; contact details are asked only when the person chooses to be reachable. */
export function ContactStep({ details, errors, change, destinations }: StepProps) {
  const reporter = details.reporter ?? {};
  const anonymous = isAnonymous(details);
  const consents = reporter.consents ?? {};
  return (
    <>
      <YesNo
        path="reporter.anonymous"
        legend={t('contact.anonymous')}
        hint={t('contact.anonymousHint')}
        value={anonymous}
        errors={errors}
        onChange={(value) => change({ reporter: { anonymous: value } })}
      />
      {!anonymous && (
        <div class="follow-on">
          {/* Before the first field: the person learns who can read their details before typing them. */}
          <SealedNote destinations={destinations} />
          <TextField path="reporter.name" label={t('contact.name')} optional autoComplete="name" maxLength={LIMITS.shortText}
            value={reporter.name} onInput={(name) => change({ reporter: { name } })} errors={errors} />
          <TextField path="reporter.email" type="email" label={t('contact.email')} optional autoComplete="email"
            value={reporter.email} onInput={(email) => change({ reporter: { email } })} errors={errors} />
          {/* Only with an address: the hub emails nothing but "something changed", the reference and the status page. */}
          {reporter.email?.trim() && (
            <Checkbox id="reporter.consents.emailUpdates" label={t('contact.consent.emailUpdates')}
              checked={consents.emailUpdates ?? false} onChange={(emailUpdates) => change({ reporter: { consents: { emailUpdates } } })} />
          )}
          {/* Beside the choice that causes it: the hub must write to that address, so it cannot be locked. */}
          {reporter.email?.trim() && consents.emailUpdates && sealing(destinations).length > 0 && (
            <p class="note" role="status" data-testid="sealed-email-updates">{t('contact.sealedEmailUpdates')}</p>
          )}
          <TextField path="reporter.phone" type="tel" label={t('contact.phone')} optional autoComplete="tel"
            value={reporter.phone} onInput={(phone) => change({ reporter: { phone } })} errors={errors} />
          <RadioGroup
            path="reporter.contact.channel"
            legend={t('contact.channel')}
            errors={errors}
            value={reporter.contact?.channel ?? 'none'}
            options={ContactChannel.options.map((channel) => ({ value: channel, label: t(`contact.channel.${channel}`) }))}
            onChange={(channel) => change({ reporter: { contact: { channel } } })}
          />
          <TextField path="reporter.contact.safeTimes" label={t('contact.safeTimes')} optional maxLength={LIMITS.shortText}
            value={reporter.contact?.safeTimes} onInput={(safeTimes) => change({ reporter: { contact: { safeTimes } } })} errors={errors} />
          <RadioGroup
            path="reporter.contact.language"
            legend={t('contact.language')}
            errors={errors}
            value={reporter.contact?.language ?? ''}
            options={[{ value: '', label: t('contact.languageAny') }, ...CONTACT_LANGUAGES.map(({ tag, name }) => ({ value: tag, label: name, lang: tag }))]}
            onChange={(language) => change({ reporter: { contact: { language } } })}
          />
          <TextField path="reporter.accessNeeds" label={t('contact.accessNeeds')} optional multiline maxLength={LIMITS.longText}
            value={reporter.accessNeeds} onInput={(accessNeeds) => change({ reporter: { accessNeeds } })} errors={errors} />
        </div>
      )}
      <RadioGroup
        path="reporter.ageBand"
        legend={t('contact.ageBand')}
        hint={t('contact.ageBandHint')}
        errors={errors}
        value={reporter.ageBand}
        options={AgeBand.options.map((band) => ({ value: band, label: ageLabel(band) }))}
        onChange={(ageBand) => change({ reporter: { ageBand } })}
      />
      <fieldset id="reporter.consents">
        <legend>{t('contact.consents')}</legend>
        {CONSENTS.map((consent) => (
          <Checkbox key={consent} id={`reporter.consents.${consent}`} label={t(`contact.consent.${consent}`)}
            checked={consents[consent] ?? false} onChange={(on) => change({ reporter: { consents: { [consent]: on } } })} />
        ))}
        {!anonymous && (
          <Checkbox id="reporter.consents.shareContact" label={t('contact.consent.shareContact')}
            checked={consents.shareContact ?? false} onChange={(shareContact) => change({ reporter: { consents: { shareContact } } })} />
        )}
      </fieldset>
    </>
  );
}

/** The ends of the range have words; the rest are plain number ranges, read the same in every language here. */
function ageLabel(band: (typeof AgeBand.options)[number]): string {
  if (band === 'under_18' || band === '65_plus') return t(`contact.age.${band}`);
  return band.replace('_', '–');
}
