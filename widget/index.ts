/**
 * The embeddable widget: `<ohr-report-form endpoint="https://hub.example">` and the floating
 * `<ohr-report-button endpoint="…">`. Loading the script only defines the two elements; the form is rendered when the
 * element scrolls into view or the button is pressed, so the host page pays nothing on its main thread before then.
 * Everything lives in an open shadow root (open so assistive technology and accessibility checkers can read it).
 */
import { Fragment as Many, h as element, render } from 'preact';
import { t } from './i18n';
import { resendWaiting } from './outbox';
import { styles } from './styles';
import { Widget } from './Widget';

/** The form's container inside a shadow root: the element it belongs to and the stylesheet. */
function shadowFor(host: HTMLElement): HTMLDivElement {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [styles()];
  const container = document.createElement('div');
  container.className = 'w';
  container.setAttribute('part', 'container');
  root.replaceChildren(container);
  return container;
}

const endpointOf = (host: HTMLElement) => host.getAttribute('endpoint') ?? location.origin;

class ReportForm extends HTMLElement {
  #observer?: IntersectionObserver;

  connectedCallback(): void {
    if (this.#observer || this.shadowRoot) return;
    this.#observer = new IntersectionObserver((seen) => {
      if (!seen.some((entry) => entry.isIntersecting)) return;
      this.#observer?.disconnect();
      render(element(Widget, { endpoint: endpointOf(this) }), shadowFor(this));
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
    const container = shadowFor(this);
    container.className = '';
    let dialog: HTMLDialogElement | null = null;
    const draw = (opened: boolean) =>
      render(
        element(Many, null,
          element('button', { class: 'open', part: 'button open', onClick: () => (draw(true), dialog?.showModal()) }, t('form.title')),
          element('dialog', { 'aria-label': t('form.title'), ref: (node: HTMLDialogElement | null) => (dialog = node) },
            element('div', { class: 'w', part: 'container' },
              element('button', { class: 'close link', onClick: () => dialog?.close() }, t('widget.close')),
              opened && element('div', null, element(Widget, { endpoint: endpointOf(this) }))))),
        container,
      );
    draw(false);
  }
}

if (!customElements.get('ohr-report-form')) customElements.define('ohr-report-form', ReportForm);
if (!customElements.get('ohr-report-button')) customElements.define('ohr-report-button', ReportButton);

// A report left unsent when the page last closed goes on its way once the page is idle, and whenever it comes online.
const resend = () => void resendWaiting();
addEventListener('online', resend);
(self.requestIdleCallback ?? setTimeout)(resend);
