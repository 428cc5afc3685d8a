/**
 * One embedded form: reads the endpoint's discovery, then shows the form, the sending state or the receipt. A report
 * found in the outbox when the page opens again is picked up where it was: sent on, shown with its receipt, or
 * reopened with the hub's objections.
 */
import { useEffect, useState } from 'preact/hooks';
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

export function Widget({ endpoint }: { endpoint: string }) {
  const [discovery, setDiscovery] = useState<Discovery | null | undefined>();
  const [view, setView] = useState<View | undefined>();
  const load = () => {
    setDiscovery(undefined);
    void discover(endpoint).then((found) => setDiscovery(found ?? null));
  };
  useEffect(load, [endpoint]);

  useEffect(() => {
    if (!discovery) return;
    const submitUrl = discovery.submitUrl;
    /** The entry this form follows (the newest), turned into what the person sees; a receipt is shown once, then forgotten. */
    const follow = async () => {
      const entry = (await entries(submitUrl)).sort((a, b) => b.report.createdAt.localeCompare(a.report.createdAt))[0];
      if (!entry) return setView((current) => current ?? fresh(discovery));
      if (entry.receipt) {
        setView({ kind: 'done', receipt: entry.receipt });
        return remove(entry.id);
      }
      if (entry.problem) return setView({ kind: 'form', form: { answers: entry.answers, items: entry.items, problem: entry.problem } });
      setView({ kind: 'waiting', id: entry.id, attempt: entry.attempt });
    };
    const unsubscribe = onOutboxChange(() => void follow());
    void follow().then(() => drain(submitUrl));
    return unsubscribe;
  }, [discovery]);

  if (discovery === null) {
    return (
      <div role="alert">
        <p>{t('widget.unreachable', { endpoint })}</p>
        <button type="button" part="button" onClick={load}>{t('widget.retry')}</button>
      </div>
    );
  }
  if (!discovery || !view) return <p role="status">{t('widget.loading')}</p>;

  const send = async (answers: Answers, items: WidgetItem[]) => {
    const id = crypto.randomUUID();
    // A corrected report is a new report: the refused one is dropped.
    for (const old of await entries(discovery.submitUrl)) if (old.problem) await remove(old.id);
    const report = buildReport(id, answers, items);
    const { submitUrl, evidenceUrl, statusUrl } = discovery;
    await save({ id, routes: { submitUrl, evidenceUrl, statusUrl }, report, answers, items, attempt: 0, notBefore: 0, leaseUntil: 0 });
    await drain(submitUrl);
  };

  if (view.kind === 'form') return <Form key={JSON.stringify(view.form.problem)} discovery={discovery} {...view.form} onSend={(answers, items) => void send(answers, items)} />;
  if (view.kind === 'waiting') return <p role="status" class="note">{t(view.attempt > 0 ? 'widget.queued' : 'widget.sending')}</p>;
  return <Receipt routes={discovery} receipt={view.receipt} onAgain={() => setView(fresh(discovery))} />;
}
