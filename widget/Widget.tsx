/**
 * One embedded form: reads the endpoint's discovery, then shows the form, the sending state or the receipt. A report
 * found in the outbox when the page opens again is picked up where it was: sent on, shown with its receipt, or
 * reopened with the hub's objections.
 */
import { Component } from 'preact';
import type { Discovery } from '@/lib/schema';
import type { Answers } from './answers';
import { Form, type FormProps } from './Form';
import { discover } from './hub';
import { t } from './i18n';
import { drain, entries, onOutboxChange, remove, save, type Entry } from './outbox';
import { Receipt } from './Receipt';
import { buildReport, type WidgetItem } from './report';

type View =
  | { kind: 'form'; form: Pick<FormProps, 'answers' | 'items' | 'problem'> }
  | { kind: 'waiting'; id: string; attempt: number }
  | { kind: 'done'; receipt: NonNullable<Entry['receipt']> };

const fresh = (discovery: Discovery): View => ({
  kind: 'form',
  form: { answers: discovery.acceptsAnonymous ? {} : { reporter: { anonymous: false } }, items: [{ url: '', uploads: [] }] },
});

interface WidgetState {
  /** Undefined while it loads, null when it could not be read. */
  discovery?: Discovery | null;
  view?: View;
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

  /** Follows the newest entry of this hub's outbox, turned into what the person sees; a receipt is shown once, then forgotten. */
  follow(discovery: Discovery): void {
    const submitUrl = discovery.submitUrl;
    const show = async () => {
      const entry = (await entries(submitUrl)).sort((a, b) => b.report.createdAt.localeCompare(a.report.createdAt))[0];
      if (!entry) return this.setState(({ view }) => ({ view: view ?? fresh(discovery) }));
      if (entry.receipt) {
        this.setState({ view: { kind: 'done', receipt: entry.receipt } });
        return remove(entry.id);
      }
      if (entry.problem) return this.setState({ view: { kind: 'form', form: { answers: entry.answers, items: entry.items, problem: entry.problem } } });
      this.setState({ view: { kind: 'waiting', id: entry.id, attempt: entry.attempt } });
    };
    this.unsubscribe = onOutboxChange(() => void show());
    void show().then(() => drain(submitUrl));
  }

  async send(discovery: Discovery, answers: Answers, items: WidgetItem[]): Promise<void> {
    const id = crypto.randomUUID();
    // A corrected report is a new report: the refused one is dropped.
    for (const old of await entries(discovery.submitUrl)) if (old.problem) await remove(old.id);
    const report = buildReport(id, answers, items);
    const { submitUrl, evidenceUrl, statusUrl } = discovery;
    await save({ id, routes: { submitUrl, evidenceUrl, statusUrl }, report, answers, items, attempt: 0, notBefore: 0, leaseUntil: 0 });
    await drain(submitUrl);
  }

  override render({ endpoint }: { endpoint: string }, { discovery, view }: WidgetState) {
    if (discovery === null) {
      return (
        <div role="alert">
          <p>{t('widget.unreachable', { endpoint })}</p>
          <button type="button" part="button" onClick={this.load}>{t('widget.retry')}</button>
        </div>
      );
    }
    if (!discovery || !view) return <p role="status">{t('widget.loading')}</p>;
    if (view.kind === 'form') {
      return <Form key={JSON.stringify(view.form.problem)} discovery={discovery} {...view.form} onSend={(answers, items) => void this.send(discovery, answers, items)} />;
    }
    if (view.kind === 'waiting') return <p role="status" class="note">{t(view.attempt > 0 ? 'widget.queued' : 'widget.sending')}</p>;
    return <Receipt routes={discovery} receipt={view.receipt} onAgain={() => this.setState({ view: fresh(discovery) })} />;
  }
}
