import { BlurredScreenshot } from '@/components/BlurredScreenshot';
import { t } from '@/lib/i18n';
import { FINGERPRINT_HARM } from '@/lib/pdq/choice';
import { answersAnonymous } from '@/lib/report/from-answers';
import type { Item } from '@/lib/schema';
import { FieldError } from './fields';
import { HideAreas } from './HideAreas';
import type { ItemPreview, StepProps } from './types';

/**
 * The captured items, described as text, each picture blurred behind a warning, each removable. In an anonymous
 * report, a capture that showed the person's own account is shown as it will be sent, with that account blacked out.
 */
export function ItemsStep({ items, errors, removeItem, details, setHiddenAreas, change }: StepProps) {
  const anonymous = answersAnonymous(details.reporter);
  return (
    <>
      <p>{t('items.intro')}</p>
      {details.incident?.harmTypes?.includes(FINGERPRINT_HARM) && items.length > 0 && (
        <div class="field">
          <label class="choice">
            <input type="checkbox" id="pictures" aria-describedby="pictures-hint" checked={details.pictures !== 'upload'}
              onChange={(event) => change({ pictures: event.currentTarget.checked ? 'fingerprint' : 'upload' })} />
            {t('items.fingerprint')}
          </label>
          <p class="hint" id="pictures-hint">{t('items.fingerprintHint')}</p>
        </div>
      )}
      <FieldError path="items" errors={errors} />
      {items.length === 0 && <p>{t('items.none')}</p>}
      <ol class="items" id="items">
        {items.map(({ item, picture, hiding }, index) => (
          <li key={`${index}-${item.capturedAt}`} data-testid="form-item">
            <p class="url">{labelOf(item)}</p>
            {item.text && <p class="captured-text">{item.text}</p>}
            {anonymous && hiding && setHiddenAreas ? (
              <HiddenPicture hiding={hiding} item={item} onChange={(areas) => setHiddenAreas(index, areas)} />
            ) : (
              picture && <BlurredScreenshot image={picture.image} kind={picture.kind} />
            )}
            <button type="button" class="secondary" onClick={() => removeItem(index)}>
              {t('items.remove', { number: index + 1 })}
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}

function HiddenPicture({ hiding, item, onChange }: { hiding: NonNullable<ItemPreview['hiding']>; item: Item; onChange: Parameters<typeof HideAreas>[0]['onChange'] }) {
  const fullPageLeftOut = hiding.plan.areas.length > 0 && item.evidence.some((evidence) => evidence.kind === 'full_page');
  return (
    <>
      <HideAreas image={hiding.screenshot} size={hiding.size} areas={hiding.plan.areas} onChange={onChange} />
      {fullPageLeftOut && <p class="hint">{t('hide.fullPage')}</p>}
    </>
  );
}

export function labelOf(item: Item): string {
  const author = item.author?.handle ? `@${item.author.handle}` : item.author?.displayName;
  if (author && item.kind !== 'page') return t('popup.itemPost', { author });
  return t('popup.itemPage', { title: item.pageTitle ?? item.url });
}
