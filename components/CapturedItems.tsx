import { t } from '@/lib/i18n';
import type { DraftPreview } from '@/extension/pages/api';
import type { Item } from '@/lib/schema';
import { BlurredScreenshot } from './BlurredScreenshot';

/** The items of the report being built: what each is (as text) and its picture, blurred until asked for. */
export function CapturedItems({ draft }: { draft: DraftPreview }) {
  return (
    <section aria-labelledby="items-heading">
      <h3 id="items-heading">{t('popup.itemsHeading', { count: draft.items.length })}</h3>
      <p>{t('popup.building')}</p>
      <ol class="items">
        {draft.items.map(({ item, picture }, index) => (
          <li key={index} data-testid="captured-item">
            {labelOf(item)}
            {picture && <BlurredScreenshot image={picture.image} kind={picture.kind} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

function labelOf(item: Item): string {
  const author = item.author?.handle ? `@${item.author.handle}` : item.author?.displayName;
  if (author && item.kind !== 'page') return t('popup.itemPost', { author });
  return t('popup.itemPage', { title: item.pageTitle ?? item.url });
}
