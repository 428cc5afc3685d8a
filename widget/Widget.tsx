/**
 * One embedded form: reads the endpoint's discovery, then shows the form, the sending state or the receipt. A report
 * found in the outbox when the page opens again is picked up where it was: sent on, shown with its receipt, or
 * reopened with the hub's objections.
 */
import { Component } from 'preact';
import type { Discovery } from '@/lib/schema';
import type { Answers } from './answers';
import { Form } from './Form';
import { discover } from './hub';
import { t } from './i18n';
import { drain, entries, inMemory, onOutboxChange, remove, save, type Entry } from './outbox';
import { Receipt } from './Receipt';
import { buildReport, type WidgetItem } from './report';

/**
 * What is shown: the newest outbox entry of this hub — its receipt, or the form again with the hub's problem, or
 * "sending" while it waits — or, with no entry, a form of answers and items.
 */
type View = Pick<Entry, 'answers' | 'items'> & Partial<Pick<Entry, 'problem' | 'receipt' | 'attempt'>>;

const fresh = (discovery: Discovery): View => ({
  answers: discovery.acceptsAnonymous ? {} : { reporter: { anonymous: false } },
  items: [{ url: '', uploads: [] }],
});

interface WidgetState {
  /** Undefined while it loads, null when it could not be read. */
  discovery?: Discovery | null;
  view?: View;
  /** The browser lets this page keep nothing: a waiting report lasts only while the page is open. */
  memoryOnly?: boolean;
}

export class Widget extends Component<{ endpoint: string }, WidgetState> {
  unsubscribe?: () => void;

  override componentDidMount(): void {
    this.load();
  }

  override componentWillUnmount(): void {
    this.unsubscribe?.();
  }

  load = () => {
    this.setState({ discovery: undefined });
    void discover(this.props.endpoint).then((discovery) => {
      this.setState({ discovery: discovery ?? null });
      if (discovery && !this.unsubscribe) this.follow(discovery);
    });
  };

  /** Follows the newest entry of this hub's outbox; a receipt is shown once, then forgotten. */
  follow(discovery: Discovery): void {
    const submitUrl = discovery.submitUrl;
    const show = async () => {
      const entry = (await entries(submitUrl)).sort((a, b) => b.report.createdAt.localeCompare(a.report.createdAt))[0];
      const memoryOnly = await inMemory();
      this.setState(({ view }) => ({ view: entry ?? view ?? fresh(discovery), memoryOnly }));
      if (entry?.receipt) await remove(entry.id);
    };
    this.unsubscribe = onOutboxChange(() => void show());
    void show().then(() => drain(submitUrl));
  }

  async send(discovery: Discovery, answers: Answers, items: WidgetItem[]): Promise<void> {
    const id = crypto.randomUUID();
    // A corrected report is a new report: the refused one is dropped.
    for (const old of await entries(discovery.submitUrl)) if (old.problem) await remove(old.id);
    // The discovery is kept with the report for its addresses (`Routes`), to send it on after a reload.
    await save({ id, routes: discovery, report: buildReport(id, answers, items), answers, items, attempt: 0, notBefore: 0, leaseUntil: 0 });
    await drain(discovery.submitUrl);
  }

  override render({ endpoint }: { endpoint: string }, { discovery, view, memoryOnly }: WidgetState) {
    if (discovery === null) {
      return (
        <div role="alert">
          <p>{t('widget.unreachable', { endpoint })}</p>
          <button type="button" part="button" onClick={this.load}>{t('widget.retry')}</button>
        </div>
      );
    }
    if (!discovery || !view) return <p role="status">{t('widget.loading')}</p>;
    if (view.receipt) return <Receipt routes={discovery} receipt={view.receipt} onAgain={() => this.setState({ view: fresh(discovery) })} />;
    if (view.attempt === undefined || view.problem) {
      return <Form key={JSON.stringify(view.problem)} discovery={discovery} {...view} onSend={(answers, items) => void this.send(discovery, answers, items)} />;
    }
    return <p role="status" class="note">{view.attempt > 0 ? (memoryOnly ? t('widget.queuedInMemory') : t('widget.queued')) : t('widget.sending')}</p>;
  }
}
