/**
 * What the person keeps: the reference number and the status code, shown once (the widget forgets both as soon as
 * they are on screen), a button to copy the code, and a status check through the hub's status endpoint.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Receipt as ReceiptData } from '@/lib/schema';
import { readStatus, type Routes } from './hub';
import { t, type WidgetMessageKey } from './i18n';

export function Receipt({ routes, receipt, onAgain }: { routes: Routes; receipt: ReceiptData; onAgain(): void }) {
  const [said, setSaid] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const copy = () =>
    navigator.clipboard.writeText(receipt.statusToken).then(
      () => setSaid(t('widget.done.copied')),
      () => setSaid(''),
    );
  const check = async () => {
    const status = await readStatus(routes, receipt);
    setSaid(
      typeof status === 'string'
        ? t('widget.done.statusFailed', { message: status })
        : t('widget.done.status', { status: t(`status.${status.status}` as WidgetMessageKey) }),
    );
  };
  return (
    <section part="receipt" aria-labelledby="done">
      <h2 id="done" part="heading" tabIndex={-1} ref={heading}>{t('widget.done.title')}</h2>
      <dl>
        <dt>{t('widget.done.reference')}</dt>
        <dd class="reference" data-testid="reference">{receipt.reference}</dd>
        <dt>{t('widget.done.token')}</dt>
        <dd><code data-testid="token">{receipt.statusToken}</code></dd>
      </dl>
      <p class="hint">{t('widget.done.tokenHint')}</p>
      <div class="actions">
        <button type="button" part="button" onClick={copy}>{t('widget.done.copy')}</button>
        <button type="button" part="button" onClick={() => void check()}>{t('widget.done.check')}</button>
        <button type="button" class="link" part="link" onClick={onAgain}>{t('widget.done.again')}</button>
      </div>
      <p role="status">{said}</p>
    </section>
  );
}
