/**
 * What the person keeps: the reference number and the status code, shown once (the widget forgets both as soon as
 * they are on screen), a button to copy the code, and a status check through the hub's status endpoint.
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

  override render({ receipt, onAgain }: ReceiptProps, { said }: { said: string }) {
    return (
      <section part="receipt" aria-labelledby="done">
        <h2 id="done" part="heading" tabIndex={-1} ref={this.heading}>{t('widget.done.title')}</h2>
        <dl>
          <dt>{t('widget.done.reference')}</dt>
          <dd class="reference" data-testid="reference">{receipt.reference}</dd>
          <dt>{t('widget.done.token')}</dt>
          <dd><code data-testid="token">{receipt.statusToken}</code></dd>
        </dl>
        <p class="hint">{t('widget.done.tokenHint')}</p>
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
