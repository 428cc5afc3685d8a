import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/**
 * What the person wrote or captured about the abuse, behind the same warning and click as a blurred picture: they
 * may not want to read it again, and someone may be looking over their shoulder. Nothing of it is in the page (nor
 * read out by a screen reader) until they ask for it.
 */
export function SensitiveContent({ id, warning, show, hide, children }: {
  id: string;
  warning: string;
  show: string;
  hide: string;
  children: () => ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div class="sensitive">
      <p class="warning">{warning}</p>
      <button type="button" class="secondary" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {open ? hide : show}
      </button>
      <div id={id} hidden={!open} data-testid="sensitive-content">
        {open && children()}
      </div>
    </div>
  );
}
