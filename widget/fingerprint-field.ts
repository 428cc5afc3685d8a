/**
 * The fingerprint field of the Items step, for a report of intimate-image abuse to a hub that takes fingerprints: a box,
 * ticked by default, to send only a fingerprint of each picture, and the pictures so sent, listed by name. Not in the
 * widget's script: the hub serves it with PDQ (lib/pdq) as `/widget/pdq.js` (built by widget/vite.config.ts), loaded
 * only when the field is needed (`Fingerprints.tsx`), so pages that never need it never pay for it. It draws with the
 * widget's own `h` and `format`, which translate its English words when a language pack is loaded.
 */
import type { ComponentChild, createElement } from 'preact';
import { fingerprintOf } from '@/lib/pdq/fingerprint';
import type { PerceptualHash } from '@/lib/schema';
import { LIMITS } from '@/lib/schema/vocabulary';
import type { WidgetItem } from './report';
import { fingerprintWords as words } from './words-fingerprint';

export { fingerprintOf };

type Draw = typeof createElement;
type Fill = (template: string, values?: Record<string, string | number>) => string;

/**
 * The field for address `index`, drawn with the widget's `h` and `format` (passed in, so that its words are translated
 * and it uses the widget's one Preact). `changeAt` replaces the item at `index`; `refuse` says in words which files could not be
 * fingerprinted. Positional arguments: the widget's side of this call is counted against its size budget.
 */
export function fingerprintField(
  h: Draw,
  format: Fill,
  index: number,
  item: WidgetItem,
  changeAt: (index: number, item: WidgetItem) => void,
  refuse: (messages: string[]) => void,
): ComponentChild {
  const change = (next: WidgetItem) => changeAt(index, next);
  const id = `items.${index}.pictures`;
  const on = !item.asFiles;
  const hashes = item.perceptualHashes ?? [];
  const names = item.fingerprintNames ?? [];
  /** Keeps the fingerprints at `kept` (indexes into the lists), plus any new ones; absent rather than empty. */
  const keep = (kept: number[], added: PerceptualHash[] = [], addedNames: string[] = []) => {
    const nextHashes = [...kept.map((at) => hashes[at]!), ...added].slice(0, LIMITS.evidencePerItem);
    const nextNames = [...kept.map((at) => names[at]!), ...addedNames].slice(0, LIMITS.evidencePerItem);
    change({ ...item, perceptualHashes: nextHashes.length > 0 ? nextHashes : undefined, fingerprintNames: nextHashes.length > 0 ? nextNames : undefined });
  };
  /** Each file read here and let go: only its fingerprint is kept. */
  const add = async (input: HTMLInputElement) => {
    const files = Array.from(input.files ?? []);
    input.value = '';
    const made: PerceptualHash[] = [];
    const madeNames: string[] = [];
    const refused: string[] = [];
    for (const file of files) {
      try {
        made.push(await fingerprintOf(file));
        madeNames.push(file.name);
      } catch {
        refused.push(format(words['widget.fingerprint.failed'], { name: file.name }));
      }
    }
    keep(hashes.map((_, at) => at), made, madeNames);
    refuse(refused);
  };
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { class: 'choice' },
      h('input', {
        type: 'checkbox',
        id,
        'aria-describedby': `${id}-hint`,
        checked: on,
        onChange: (event: Event) => change({ ...item, asFiles: !(event.currentTarget as HTMLInputElement).checked }),
      }),
      words['widget.pictures.fingerprint'],
    ),
    h('p', { class: 'hint', id: `${id}-hint` }, words['widget.pictures.fingerprintHint']),
    on && h('label', { for: `${id}-files` }, format(words['widget.pictures.files'], { number: index + 1 })),
    on && h('input', { id: `${id}-files`, type: 'file', multiple: true, accept: 'image/*', onChange: (event: Event) => void add(event.currentTarget as HTMLInputElement) }),
    hashes.length > 0 &&
      h(
        'ul',
        null,
        hashes.map((hash, at) =>
          h(
            'li',
            { key: hash.hash },
            format(words['widget.items.fingerprinted'], { name: names[at] ?? '' }),
            ' ',
            h(
              'button',
              { type: 'button', class: 'link', part: 'link', onClick: () => keep(hashes.map((_, other) => other).filter((other) => other !== at)) },
              format(words['widget.items.removeFile'], { name: names[at] ?? '' }),
            ),
          ),
        ),
      ),
  );
}
