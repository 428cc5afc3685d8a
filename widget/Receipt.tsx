/**
 * What the person keeps: the reference number and the status code, shown once (the widget forgets both as soon as
 * they are on screen), a button to copy the code, the address of the hub's status page, where the person sees what
 * happens to the report and answers the team's questions, and the organisation's support links that fit the report
 * (chosen by `Widget` with `lib/support-links.ts`). The receipt no longer asks the status itself: just after sending
 * it can only say "received", and the status page says that and more (the bytes went to the language machinery).
 */
import { Component, createRef } from 'preact';
import type { Receipt as ReceiptData } from '@/lib/schema';
import type { SupportLink } from '@/lib/support-links';
import type { Routes } from './hub';
import { t } from './i18n';

interface ReceiptProps {
  routes: Routes;
  receipt: ReceiptData;
  /** The organisation's support links that fit the report, most particular first. */
  support?: readonly SupportLink[];
  onAgain(): void;
}

/** A class rather than hooks: the widget uses no hooks, which keeps `preact/hooks` (~1 KB gzipped) out of it. */
export class Receipt extends Component<ReceiptProps, { said: string }> {
  override state = { said: '' };
  heading = createRef<HTMLHeadingElement>();

  override componentDidMount(): void {
    this.heading.current?.focus();
  }

  copy = () =>
    navigator.clipboard.writeText(this.props.receipt.statusToken).then(
      () => this.setState({ said: t('widget.done.copied') }),
      () => this.setState({ said: '' }),
    );

  override render({ routes, receipt, support = [], onAgain }: ReceiptProps, { said }: { said: string }) {
    // The hub's status page (hub/status), written out so it can be noted down with the code; a new tab keeps this receipt.
    const page = new URL('/status', routes.statusUrl).href;
    return (
      <section part="receipt" aria-labelledby="done">
        <h2 id="done" part="heading" tabIndex={-1} ref={this.heading}>{t('widget.done.title')}</h2>
        <dl>
          <dt>{t('widget.done.reference')}</dt>
          <dd class="reference" data-testid="reference">{receipt.reference}</dd>
          <dt>{t('widget.done.token')}</dt>
          <dd class="reference"><code data-testid="token">{receipt.statusToken}</code></dd>
        </dl>
        <p class="hint">
          {t('widget.done.tokenHint')} <a href={page} target="_blank" rel="noopener noreferrer" part="link" data-testid="status-page">{page}</a>
        </p>
        <div class="actions">
          <button type="button" part="button" onClick={this.copy}>{t('widget.done.copy')}</button>
          <button type="button" class="link" part="link" onClick={onAgain}>{t('widget.done.again')}</button>
        </div>
        <p role="status">{said}</p>
        {support.length > 0 && (
          <>
            <h3>{t('support.heading')}</h3>
            <p>{t('support.intro')}</p>
            {/* The organisation's own labels, in an array so that no language pack translates them. */}
            <ul>{support.map((link) => <li key={link.url}><a href={link.url} target="_blank" rel="noopener noreferrer" part="link">{[link.label]}</a></li>)}</ul>
          </>
        )}
      </section>
    );
  }
}
