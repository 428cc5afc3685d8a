/**
 * One embedded form: reads the endpoint's discovery, then shows the form, the sending state or the receipt, with a
 * quick exit above them all. A report found in the outbox when the page opens again is picked up where it was: sent
 * on, shown with its receipt, or reopened with the hub's objections.
 */
import { Component } from 'preact';
import { DOUBLE_PRESS_MS } from '@/lib/quick-exit';
import type { Discovery } from '@/lib/schema';
import { matchingSupportLinks, taggedSupportLinks, type ReportFacts } from '@/lib/support-links';
import type { Answers } from './answers';
import { Form } from './Form';
import { discover } from './hub';
import { t } from './i18n';
import { drain, entries, keep, onOutboxChange, remove, save, type Entry } from './outbox';
import { Receipt } from './Receipt';
import type { WidgetItem } from './report';
import { sealed } from './sealing';

/**
 * What is shown: the newest outbox entry of this hub — its receipt, or the form again with the hub's problem, or
 * "sending" while it waits — or, with no entry, a form of answers and items.
 */
type View = Pick<Entry, 'answers' | 'items'> & Partial<Entry>;

/** A new form's view: no answers (but not anonymous where the hub takes no anonymous reports) and one empty item. */
export const fresh = (discovery: Discovery): View => ({
  answers: discovery.acceptsAnonymous ? {} : { reporter: { anonymous: false } },
  items: [{ url: '', uploads: [] }],
});

interface WidgetProps {
  endpoint: string;
  /** Where the quick exit goes. */
  exit: string;
}

interface WidgetState {
  /** Undefined while it loads; why not, in words, when it could not be read. */
  discovery?: Discovery | string;
  view?: View;
  /** The person asked to keep a waiting report, and the browser lets this page keep nothing. */
  cannotKeep?: boolean;
  /** The personal details could not be sealed for a hub that asks for them sealed: nothing was sent or kept. */
  unsealed?: boolean;
}

export class Widget extends Component<WidgetProps, WidgetState> {
  declare unsubscribe?: () => void;
  /** When Esc was last pressed, NaN after any other key. */
  declare escaped?: number;
  /**
   * What the support links are chosen by: the last report's characteristics and harms, kept in this page's memory
   * only. A receipt for a report kept from an earlier visit has none, and shows every link (nothing rules one out).
   */
  declare facts?: ReportFacts;

  override componentDidMount(): void {
    this.load();
    addEventListener('keydown', this.escape);
  }

  override componentWillUnmount(): void {
    this.unsubscribe?.();
    removeEventListener('keydown', this.escape);
  }

  /** Quick exit: this page and its history entry are replaced, so Back does not return to it. */
  leave = () => location.replace(this.props.exit);

  /** Esc twice, anywhere on the page: one press alone closes the dialog or does nothing. */
  escape = ({ key, timeStamp }: KeyboardEvent) => {
    const last = this.escaped!;
    this.escaped = key === 'Escape' ? timeStamp : NaN;
    if (this.escaped - last < DOUBLE_PRESS_MS) this.leave();
  };

  load = () => {
    this.setState({ discovery: undefined });
    void discover(this.props.endpoint).then((discovery) => {
      this.setState({ discovery });
      if (typeof discovery === 'object' && !this.unsubscribe) this.follow(discovery);
    });
  };

  /** Follows the newest entry of this hub's outbox; a receipt is shown once, then forgotten. */
  follow(discovery: Discovery): void {
    const submitUrl = discovery.submitUrl;
    const show = async () => {
      const entry = (await entries(submitUrl)).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
      this.setState(({ view }) => ({ view: entry ?? view ?? fresh(discovery) }));
      if (entry?.receipt) await remove(entry);
    };
    this.unsubscribe = onOutboxChange(() => void show());
    void show().then(() => drain(submitUrl));
  }

  async send(discovery: Discovery, answers: Answers, items: WidgetItem[]): Promise<void> {
    this.facts = { characteristics: answers.incident?.targetedCharacteristics ?? [], harms: answers.incident?.harmTypes ?? [] };
    // A corrected report is a new report: the refused one is dropped.
    for (const old of await entries(discovery.submitUrl)) if (old.problem) await remove(old);
    // The discovery is kept with the report for its addresses (`Routes`), to send it on after a reload. Personal
    // details are sealed first where the hub asks for it; if they cannot be, the form stays as it was, nothing sent.
    const entry = { id: crypto.randomUUID(), routes: discovery, createdAt: new Date().toISOString(), answers, items, attempt: 0, notBefore: 0, leaseUntil: 0 };
    const ready = await sealed(discovery, entry).catch(() => undefined);
    this.setState({ unsealed: !ready });
    if (ready) await save(ready), await drain(discovery.submitUrl);
  }

  override render({ endpoint }: WidgetProps, { discovery, view, cannotKeep, unsealed }: WidgetState) {
    return (
      <>
        <div class="actions exit">
          <button type="button" class="primary" part="button exit" onClick={this.leave}>{t('quickExit.button')}</button>
          {t('widget.exitHint')}
        </div>
        {typeof discovery === 'string' ? (
          <div role="alert">
            <p>{discovery}</p>
            <button type="button" part="button" onClick={this.load}>{t('widget.retry')}</button>
          </div>
        ) : !discovery || !view ? (
          <p role="status">{t('widget.loading')}</p>
        ) : view.receipt ? (
          <Receipt routes={discovery} receipt={view.receipt} onAgain={() => this.setState({ view: fresh(discovery) })}
            support={matchingSupportLinks(taggedSupportLinks(discovery), this.facts ?? { characteristics: [], harms: [] })} />
        ) : view.attempt === undefined || view.problem ? (
          <>
            {unsealed && <p class="error" part="error" role="alert">{t('widget.unreachable', { endpoint: discovery.name })}</p>}
            <Form key={JSON.stringify(view.problem)} discovery={discovery} {...view} onSend={(answers, items) => void this.send(discovery, answers, items)} />
          </>
        ) : (
          <>
            <p role="status" class="note">
              {!view.attempt ? t('widget.sending') : view.keep ? t('widget.queued') : cannotKeep ? t('widget.cannotKeep') : t('widget.waiting')}
            </p>
            {view.attempt > 0 && !view.keep && !cannotKeep && (
              <>
                <button type="button" part="button" onClick={() => void keep(view as Entry).then((kept) => this.setState({ cannotKeep: !kept }))}>
                  {t('widget.keep')}
                </button>
                <p class="hint">{t('widget.keepHint')}</p>
              </>
            )}
          </>
        )}
      </>
    );
  }
}
