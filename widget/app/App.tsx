/**
 * The report app's screen: the widget's form, full-page, on the hub's own address. Opened from another app's "Share"
 * (`?shared`), it first asks the service worker for what was shared, which it holds in memory only until this page
 * takes it (`sw.ts`), and shows it: the address, the post's words, the pictures, each checked, stripped of its metadata
 * and hashed exactly as a picture chosen in the form is (`readUpload`). Nothing is stored or sent until the person sends
 * the report; "Start the report" opens the form with that item filled in.
 */
import { Component } from 'preact';
import { format } from '@/lib/i18n/format';
import { NEUTRAL_PAGE } from '@/lib/quick-exit';
import type { Discovery } from '@/lib/schema';
import { LIMITS } from '@/lib/schema/vocabulary';
import { discover } from '../hub';
import { sizeText } from '../i18n';
import type { WidgetItem } from '../report';
import { readUpload } from '../uploads';
import { withoutMetadata } from '../metadata';
import { fresh, Widget } from '../Widget';
import { sharedItem, type Shared } from './share';
import { appEn, type AppMessageKey } from './words-en';

const say = (key: AppMessageKey, values?: Record<string, string | number>) => format(appEn[key], values);

/** What another app shared, as the service worker hands it over: the form's fields and the pictures as Files. */
export interface Handover extends Shared {
  files: File[];
}

/** The form, opening with this item in place of an empty one (the answers start as a fresh form's). */
const formWith = (draft: WidgetItem) =>
  class extends Widget {
    override follow(discovery: Discovery): void {
      this.setState({ view: { ...fresh(discovery), items: [draft] } });
      super.follow(discovery);
    }
  };

interface AppProps {
  /** The shared material, once the service worker has handed it over; undefined while waiting; null when it was lost. */
  handover?: Promise<Handover | null>;
}

interface AppState {
  /** The shared item, read and checked; its pictures' refusals in words. */
  shared?: { item: WidgetItem & { text: string }; refused: string[] } | null;
  keepWords: boolean;
  form?: typeof Widget;
}

export class App extends Component<AppProps, AppState> {
  override state: AppState = { keepWords: true, form: this.props.handover ? undefined : Widget };

  override componentDidMount(): void {
    void this.props.handover?.then(async (handover) => this.setState({ shared: handover && (await read(handover)) }));
  }

  start = () => {
    const { item } = this.state.shared!;
    this.setState({ form: formWith({ ...item, text: (this.state.keepWords && item.text) || undefined }) });
  };

  override render(_: AppProps, { shared, keepWords, form: Form }: AppState) {
    const endpoint = location.origin;
    if (Form) return <Form endpoint={endpoint} exit={NEUTRAL_PAGE} />;
    return (
      <>
        <div class="actions exit">
          <button type="button" class="primary" onClick={() => location.replace(NEUTRAL_PAGE)}>{say('app.exit')}</button>
        </div>
        {shared === undefined ? (
          <p role="status">{say('app.share.opening')}</p>
        ) : shared === null ? (
          <>
            <p role="alert">{say('app.share.lost')}</p>
            <button type="button" class="primary" onClick={() => this.setState({ form: Widget })}>{say('app.share.start')}</button>
          </>
        ) : (
          <Preview shared={shared} keepWords={keepWords} onKeepWords={(keep) => this.setState({ keepWords: keep })} onStart={this.start} />
        )}
      </>
    );
  }
}

interface PreviewProps {
  shared: NonNullable<AppState['shared']>;
  keepWords: boolean;
  onKeepWords(keep: boolean): void;
  onStart(): void;
}

/** What was shared, before the form: the person sees what will go with the report and may leave the words out. */
function Preview({ shared: { item, refused }, keepWords, onKeepWords, onStart }: PreviewProps) {
  return (
    <>
      <h2>{say('app.share.title')}</h2>
      <p class="note">{say('app.share.intro')}</p>
      <dl>
        <dt>{say('app.share.address')}</dt>
        <dd>{item.url ? <code>{item.url}</code> : say('app.share.noAddress')}</dd>
        {item.text && (
          <>
            <dt>{say('app.share.words')}</dt>
            <dd><blockquote>{item.text}</blockquote></dd>
          </>
        )}
        {item.uploads.length > 0 && (
          <>
            <dt>{say('app.share.pictures')}</dt>
            <dd>
              <ul>
                {item.uploads.map((upload) => (
                  <li key={upload.sha256}>
                    {upload.name}, {sizeText(upload.blob.size)}
                    {upload.stripped && <p class="hint">{say('app.share.stripped')}</p>}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      {refused.map((message) => <p key={message} class="error" role="alert">{message}</p>)}
      {item.text && (
        <label class="choice">
          <input type="checkbox" checked={keepWords} onChange={(event) => onKeepWords(event.currentTarget.checked)} />
          {say('app.share.keepWords')}
        </label>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={onStart}>{say('app.share.start')}</button>
      </div>
    </>
  );
}

/** The shared item with its pictures read as the form reads a chosen picture, against this hub's limits. */
async function read(handover: Handover): Promise<NonNullable<AppState['shared']>> {
  const discovery = await discover(location.origin);
  const max = typeof discovery === 'object' ? discovery.limits.maxEvidenceBytes : Infinity;
  const read = await Promise.all(handover.files.slice(0, LIMITS.evidencePerItem).map((file) => readUpload(file, max, withoutMetadata)));
  return {
    item: { ...sharedItem(handover), uploads: read.filter((upload) => typeof upload !== 'string') },
    refused: read.filter((upload) => typeof upload === 'string'),
  };
}
