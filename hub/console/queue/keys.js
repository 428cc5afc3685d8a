// @ts-check
/*
 * The queue's keyboard shortcuts (served as /console/queue/keys.js; the queue page's CSP allows script from the
 * console's own origin and nothing else). Progressive enhancement only: every action here is a link or a button of
 * the page, which works without this script. The words are the page's own (rendered through the console's i18n).
 *
 *   j / k   next / previous report (the row's reference link takes the focus, so the row scrolls into view)
 *   x       choose or un-choose the current report for the actions on chosen reports
 *   a       "Assign to me" on the current report (the row's own button, which sends the form)
 *   Enter   open the current report
 *   ?       show or hide the list of shortcuts
 *
 * Keys are left alone while a text box, a list or a date field has the focus, and with Ctrl, Alt or Meta held.
 */
(() => {
  const table = document.querySelector('table.queue');
  const help = /** @type {HTMLDialogElement | null} */ (document.getElementById('queue-keys'));
  const hint = document.getElementById('queue-keys-hint');
  if (hint) hint.hidden = false;
  /** @type {HTMLTableRowElement[]} */
  const rows = table ? Array.from(table.querySelectorAll('tbody tr')) : [];
  let current = -1;

  /** @param {number} index */
  function moveTo(index) {
    if (rows.length === 0) return;
    const next = Math.max(0, Math.min(rows.length - 1, index));
    rows[current]?.classList.remove('current');
    current = next;
    const row = rows[current];
    if (!row) return;
    row.classList.add('current');
    row.querySelector('th a')?.focus();
  }

  /** The row the keys act on: the one with the focus, else the one last moved to. */
  function currentRow() {
    const focused = document.activeElement?.closest('table.queue tbody tr');
    if (focused instanceof HTMLTableRowElement) {
      const index = rows.indexOf(focused);
      if (index !== current) moveTo(index);
      return focused;
    }
    return rows[current];
  }

  /** @param {EventTarget | null} target */
  function typing(target) {
    if (!(target instanceof HTMLElement)) return false;
    if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
    return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  }

  function toggleHelp() {
    if (!help) return;
    if (help.open) help.close();
    else help.showModal();
  }

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    if (help?.open && event.key !== '?') return;
    switch (event.key) {
      case 'j':
        moveTo(current + 1);
        break;
      case 'k':
        moveTo(current < 0 ? 0 : current - 1);
        break;
      case 'x': {
        const box = /** @type {HTMLInputElement | null | undefined} */ (currentRow()?.querySelector('input[type=checkbox][name=reference]'));
        if (!box) return;
        box.click();
        break;
      }
      case 'a': {
        const button = /** @type {HTMLButtonElement | null | undefined} */ (currentRow()?.querySelector('button[data-key=assign]'));
        if (!button) return;
        button.click();
        break;
      }
      case 'Enter': {
        // A link or a button does what Enter does to it already; elsewhere (a row's checkbox, the page) Enter opens the row.
        const target = event.target;
        if (target instanceof HTMLAnchorElement || target instanceof HTMLButtonElement || (target instanceof HTMLElement && target.tagName === 'SUMMARY')) return;
        const link = /** @type {HTMLAnchorElement | null | undefined} */ (currentRow()?.querySelector('th a'));
        if (!link) return;
        window.location.assign(link.href);
        break;
      }
      case '?':
        toggleHelp();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
})();
