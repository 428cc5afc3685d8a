/**
 * The embeddable widget: `<ohr-report-form endpoint="https://hub.example">` and the floating
 * `<ohr-report-button endpoint="…">`, each with an optional `exit-url` for its quick exit and `data-lang` for its
 * language (`language.ts`). Loading the script only defines the two elements; the form is rendered when the element
 * scrolls into view or the button is pressed, so the host page pays nothing on its main thread before then. A page in
 * another language than English first fetches that language's pack, then draws.
 * Everything lives in an open shadow root (open so assistive technology and accessibility checkers can read it).
 */
import { Fragment as Many, render, type ComponentChildren } from 'preact';
import { NEUTRAL_PAGE } from '@/lib/quick-exit';
import { t } from './i18n';
import { h as element, say, speak } from './language';
import { resendWaiting } from './outbox';
import { styles } from './styles';
import { Widget } from './Widget';

/** The element's open shadow root, with the widget's stylesheet. */
function shadowFor(host: HTMLElement): ShadowRoot {
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [styles()];
  return root;
}

/** The hub: `endpoint`, this page's origin without it. */
const endpoint = (host: HTMLElement) => host.getAttribute('endpoint') ?? location.origin;

/** The form for this hub, and where the quick exit goes (`exit-url`, a weather page without it). */
const widget = (host: HTMLElement) => element(Widget, { endpoint: endpoint(host), exit: host.getAttribute('exit-url') ?? NEUTRAL_PAGE });

/** The box the widget is drawn in, which a theme reaches as `::part(container)`. */
const container = (...children: ComponentChildren[]) => element('div', { class: 'w', part: 'container' }, ...children);

class ReportForm extends HTMLElement {
  #observer?: IntersectionObserver;

  connectedCallback(): void {
    if (this.#observer || this.shadowRoot) return;
    this.#observer = new IntersectionObserver((seen) => {
      if (!seen.some((entry) => entry.isIntersecting)) return;
      this.#observer?.disconnect();
      void speak(this, endpoint(this)).then(() => render(container(widget(this)), shadowFor(this)));
    });
    this.#observer.observe(this);
  }

  disconnectedCallback(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }
}

/** The floating button and its dialog, drawn by Preact like the form; the form itself only once the button is pressed. */
class ReportButton extends HTMLElement {
  connectedCallback(): void {
    if (this.shadowRoot) return;
    const root = shadowFor(this);
    let dialog: HTMLDialogElement | null = null;
    const draw = (opened: boolean) =>
      render(
        element(Many, null,
          element('button', { class: 'open', part: 'button open', onClick: () => (draw(true), dialog?.showModal()) }, t('form.title')),
          element('dialog', { 'aria-label': say(t('form.title')), ref: (node: HTMLDialogElement | null) => (dialog = node) },
            container(element('button', { class: 'close link', onClick: () => dialog?.close() }, t('widget.close')), opened && widget(this)))),
        root,
      );
    void speak(this, endpoint(this)).then(() => draw(false));
  }
}

if (!customElements.get('ohr-report-form')) customElements.define('ohr-report-form', ReportForm);
if (!customElements.get('ohr-report-button')) customElements.define('ohr-report-button', ReportButton);

// A report left unsent when the page last closed goes on its way once the page is idle, and whenever it comes online.
// Where the page may not store anything (an opaque origin, site data blocked) nothing can be waiting either.
const resend = () => void resendWaiting().catch(() => undefined);
addEventListener('online', resend);
(self.requestIdleCallback ?? setTimeout)(resend);
