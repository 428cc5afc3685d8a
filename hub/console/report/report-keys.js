// @ts-check
/**
 * Keyboard shortcuts on the report view (issue 19 item 4): progressive enhancement only. The page works the same
 * without this script: every shortcut is a link or a field that is already there. Served from the console's own
 * origin, the only script its CSP allows; it reads and writes nothing but the page.
 *
 * j / k: next / previous report in the queue · s: "Move to" · a: "Assigned to" · c: internal note · m: show or hide
 * every picture · t: show every hidden captured text · u: back to the queue · ?: the list of shortcuts (Esc closes it).
 */
(() => {
  const help = document.getElementById('shortcuts');
  const opener = document.getElementById('shortcuts-open');
  if (!(help instanceof HTMLDialogElement)) return;
  if (opener) {
    opener.hidden = false;
    opener.addEventListener('click', () => help.showModal());
  }

  /** @param {string} id */
  const follow = (id) => {
    const link = document.getElementById(id);
    if (link instanceof HTMLAnchorElement) window.location.assign(link.href);
  };
  /** @param {string} id */
  const focus = (id) => {
    const field = document.getElementById(id);
    if (!field) return;
    field.scrollIntoView({ block: 'center' });
    field.focus();
  };
  const toggleMedia = () => {
    const boxes = [...document.querySelectorAll('input.reveal')].filter((box) => box instanceof HTMLInputElement);
    const show = boxes.some((box) => !box.checked);
    for (const box of boxes) box.checked = show;
  };
  const showText = () => {
    for (const held of document.querySelectorAll('details.held-text')) if (held instanceof HTMLDetailsElement) held.open = true;
  };

  /** @type {Record<string, () => void>} */
  const actions = {
    j: () => follow('next-report'),
    k: () => follow('previous-report'),
    s: () => focus('to'),
    a: () => focus('assignee'),
    c: () => focus('note'),
    m: toggleMedia,
    t: showText,
    u: () => follow('back-to-queue'),
    '?': () => help.showModal(),
  };

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || help.open) return;
    const target = event.target;
    // Typing in a field is typing, never a shortcut.
    if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
})();
