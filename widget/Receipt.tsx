/**
 * What the person keeps: the reference number and the status code, shown once (the widget forgets both as soon as
 * they are on screen), a button to copy the code, a status check through the hub's status endpoint, and the address of
 * the hub's status page, where the person can check again later and answer the team's questions.
 */
import { Component, createRef } from 'preact';
import type { Receipt as ReceiptData } from '@/lib/schema';
import { readStatus, type Routes } from './hub';
import { t } from './i18n';
import { STATUSES } from './labels';

interface ReceiptProps {
  routes: Routes;
  receipt: ReceiptData;
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

  check = async () => {
    const status = await readStatus(this.props.routes, this.props.receipt);
    this.setState({
      said:
        typeof status === 'string'
          ? t('widget.done.statusFailed', { message: status })
          : t('widget.done.status', { status: STATUSES[status.status] ?? status.status }),
    });
  };

  override render({ routes, receipt, onAgain }: ReceiptProps, { said }: { said: string }) {
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
          <button type="button" part="button" onClick={() => void this.check()}>{t('widget.done.check')}</button>
          <button type="button" class="link" part="link" onClick={onAgain}>{t('widget.done.again')}</button>
        </div>
        <p role="status">{said}</p>
      </section>
    );
  }
}
