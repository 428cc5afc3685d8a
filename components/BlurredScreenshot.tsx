import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';

/**
 * Captured media stays blurred until the person chooses to look: they may not want to see it again. Used for the
 * viewport screenshot and for the post cut out of it (`kind: 'element'`) alike, with the same words for both: a
 * picture, shown or blurred.
 */
export function BlurredScreenshot({ image, kind = 'screenshot' }: { image: Blob; kind?: 'screenshot' | 'element' }) {
  const [url, setUrl] = useState<string>();
  const [revealed, setRevealed] = useState(false);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(image);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [image]);
  if (!url) return null;
  const element = kind === 'element';
  return (
    <figure class="screenshot">
      <figcaption>{t('popup.contentWarning')}</figcaption>
      <img src={url} alt={t(element ? 'popup.elementAlt' : 'popup.screenshotAlt')} class={revealed ? '' : 'blurred'} data-testid={kind} />
      <button type="button" class="secondary" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
        {revealed ? t('popup.hidePicture') : t('popup.showPicture')}
      </button>
    </figure>
  );
}
