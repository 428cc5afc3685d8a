import { BlurredScreenshot } from '@/components/BlurredScreenshot';
import { t } from '@/lib/i18n';
import type { Item } from '@/lib/schema';
import { FieldError } from './fields';
import type { StepProps } from './types';

/** The captured items, described as text, each picture blurred behind a warning, each removable. */
export function ItemsStep({ items, errors, removeItem }: StepProps) {
  return (
    <>
      <p>{t('items.intro')}</p>
      <FieldError path="items" errors={errors} />
      {items.length === 0 && <p>{t('items.none')}</p>}
      <ol class="items" id="items">
        {items.map(({ item, picture }, index) => (
          <li key={`${index}-${item.capturedAt}`} data-testid="form-item">
            <p class="url">{labelOf(item)}</p>
            {item.text && <p class="captured-text">{item.text}</p>}
            {picture && <BlurredScreenshot image={picture.image} kind={picture.kind} />}
            <button type="button" class="secondary" onClick={() => removeItem(index)}>
              {t('items.remove', { number: index + 1 })}
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}

export function labelOf(item: Item): string {
  const author = item.author?.handle ? `@${item.author.handle}` : item.author?.displayName;
  if (author && item.kind !== 'page') return t('popup.itemPost', { author });
  return t('popup.itemPage', { title: item.pageTitle ?? item.url });
}
