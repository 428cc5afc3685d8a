import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';

/** Captured media stays blurred until the person chooses to look: they may not want to see it again. */
export function BlurredScreenshot({ image }: { image: Blob }) {
  const [url, setUrl] = useState<string>();
  const [revealed, setRevealed] = useState(false);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(image);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [image]);
  if (!url) return null;
  return (
    <figure class="screenshot">
      <figcaption>{t('popup.contentWarning')}</figcaption>
      <img src={url} alt={t('popup.screenshotAlt')} class={revealed ? '' : 'blurred'} data-testid="screenshot" />
      <button type="button" class="secondary" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
        {revealed ? t('popup.hideScreenshot') : t('popup.showScreenshot')}
      </button>
    </figure>
  );
}
