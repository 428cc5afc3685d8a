/**
 * Where the person saw it: one pasted address per post or page, each with any screenshots they have. Screenshots are
 * listed by name and size, never shown (they may be upsetting); each is checked, stripped of its metadata (the person is
 * told when there was some) and hashed as soon as it is chosen.
 */
import { Component } from 'preact';
import { LIMITS } from '@/lib/schema/vocabulary';
import { sizeText, t } from './i18n';
import type { WidgetItem } from './report';
import type { StepContext } from './steps';
import { readUpload } from './uploads';
import { hubModule } from './hub-module';
import { Notes, Text } from './fields';
import { fingerprintField, fingerprintsOffered } from './Fingerprints';
import { format as fill, h as draw } from './language';

/** Screenshots refused (not an image, too large) are said in words until the next choice. */
export class Items extends Component<StepContext, { refused: string[] }> {
  override state = { refused: [] as string[] };

  override render({ items, setItems, errors, discovery, answers }: StepContext, { refused }: { refused: string[] }) {
    const max = discovery.limits.maxEvidenceBytes;
    // Intimate-image abuse: each address offers fingerprints instead of files (ticked by default), the field loaded from
    // the hub. Until it has loaded no picture can be added: if it cannot be had, the person is told, and it is tried
    // again at the next change; the report can still go without pictures.
    const offered = fingerprintsOffered(answers, discovery);
    const field = offered ? fingerprintField(discovery, () => this.setState({}), () => this.setState({ refused: [t('widget.unreachable', { endpoint: discovery.name })] })) : undefined;
    const change = (index: number, item: WidgetItem) => setItems(items.map((other, at) => (at === index ? item : other)));
    const choose = async (index: number, input: HTMLInputElement) => {
      const files = Array.from(input.files ?? []);
      input.value = ''; // so that the same file can be chosen again
      // The metadata stripper comes from the hub (`strip.js`), so the widget's first script does not carry it; without
      // it no picture is added (never one with its metadata), and the person is told.
      const strip = await hubModule<typeof import('./metadata')>(discovery, 'strip.js').catch(() => undefined);
      if (!strip) return void this.setState({ refused: [t('widget.unreachable', { endpoint: discovery.name })] });
      const read = await Promise.all(files.map((file) => readUpload(file, max, strip.withoutMetadata)));
      const item = items[index]!;
      const uploads = read.filter((upload) => typeof upload !== 'string');
      change(index, { ...item, uploads: [...item.uploads, ...uploads].slice(0, LIMITS.evidencePerItem) });
      this.setState({ refused: read.filter((upload) => typeof upload === 'string') });
    };
    return (
      <>
        <p>{t('widget.items.intro')}</p>
        <Notes path="items" errors={errors} />
        {refused.map((message) => <p key={message} class="error" part="error" role="alert">{message}</p>)}
        {items.map((item, index) => {
          const number = index + 1;
          return (
            <fieldset key={index} class="item" aria-label={t('widget.items.url', { number })}>
              <Text errors={errors} path={`items.${index}.url`} label={t('widget.items.url', { number })} type="url"
                max={LIMITS.url} optional={false} value={item.url} onInput={(url) => change(index, { ...item, url })} />
              {field?.fingerprintField(draw, fill, index, item, change, (messages) => this.setState({ refused: messages }))}
              {(!offered || item.asFiles) && <div class="field">
                <label for={`items.${index}.files`}>{t('widget.items.files', { number, max: sizeText(max) })}</label>
                <input id={`items.${index}.files`} type="file" multiple accept="image/png,image/jpeg,image/webp"
                  onChange={(event) => void choose(index, event.currentTarget)} />
              </div>}
              {item.uploads.length > 0 && <ul>
                {item.uploads.map((upload) => (
                  <li key={upload.sha256}>
                    {t('widget.items.file', { name: upload.name, size: sizeText(upload.blob.size) })}{' '}
                    <button type="button" class="link" part="link"
                      onClick={() => change(index, { ...item, uploads: item.uploads.filter((other) => other !== upload) })}>
                      {t('widget.items.removeFile', { name: upload.name })}
                    </button>
                    {upload.stripped && <p class="hint">{t('widget.items.stripped')}</p>}
                  </li>
                ))}
              </ul>}
              {items.length > 1 && (
                <button type="button" class="link" part="link" onClick={() => setItems(items.filter((_, at) => at !== index))}>
                  {t('widget.items.remove', { number })}
                </button>
              )}
            </fieldset>
          );
        })}
        {items.length < discovery.limits.maxItems && (
          <button type="button" part="button" onClick={() => setItems([...items, { url: '', uploads: [] }])}>{t('widget.items.add')}</button>
        )}
      </>
    );
  }
}
