/**
 * A sanitised HTML snapshot of the post element: its structure and text as the page showed them, made safe to keep
 * and to open. Scripts, frames, plug-ins, event handlers, `javascript:` URLs and form values (hidden inputs carry
 * session tokens such as Facebook's `fb_dtsg` or Reddit's `modhash`) are removed; nothing is added to the post's own
 * markup. The result is a standalone document whose CSP forbids scripts, hashed and stored as `text/html` evidence.
 */

const REMOVE = 'script, noscript, template, iframe, frame, frameset, object, embed, applet, portal, link, meta, base, style, input[type="hidden"], input[type="password"]';
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'cite', 'data', 'ping', 'srcset']);

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** Strip what can run or leak from one element's attributes. */
function cleanAttributes(element: Element): void {
  for (const { name, value } of Array.from(element.attributes)) {
    const lower = name.toLowerCase();
    const dangerousUrl = URL_ATTRIBUTES.has(lower) && /^\s*(javascript|vbscript|data:text\/html)/i.test(value);
    if (lower.startsWith('on') || lower === 'srcdoc' || lower === 'nonce' || lower === 'integrity' || dangerousUrl) {
      element.removeAttribute(name);
    }
  }
  const tag = element.localName;
  if (tag === 'input') {
    element.removeAttribute('value');
    element.removeAttribute('checked');
  }
  if (tag === 'textarea') element.textContent = '';
  if (tag === 'option') element.removeAttribute('selected');
  if (tag === 'form') element.removeAttribute('action');
}

/** The post element's sanitised markup (a fragment). The live page is never modified: a clone is cleaned. */
export function sanitizedFragment(element: Element): string {
  const clone = element.cloneNode(true) as Element;
  clone.querySelectorAll(REMOVE).forEach((node) => node.remove());
  [clone, ...Array.from(clone.querySelectorAll('*'))].forEach(cleanAttributes);
  return clone.outerHTML;
}

export interface SnapshotContext {
  pageUrl: string;
  title?: string;
  capturedAt: string;
}

/**
 * A standalone HTML document holding the sanitised post: `<base>` keeps its relative links meaningful, the CSP stops
 * anything in it from running or loading when a moderator opens the file.
 */
export function sanitizedSnapshot(element: Element, context: SnapshotContext): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https: data:; style-src 'unsafe-inline'">`,
    `<base href="${escapeAttribute(context.pageUrl)}">`,
    `<meta name="ohr:captured-from" content="${escapeAttribute(context.pageUrl)}">`,
    `<meta name="ohr:captured-at" content="${escapeAttribute(context.capturedAt)}">`,
    `<title>${escapeText(context.title ?? '')}</title>`,
    '</head><body>',
    sanitizedFragment(element),
    '</body></html>',
    '',
  ].join('\n');
}
