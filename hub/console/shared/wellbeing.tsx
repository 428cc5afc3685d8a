/**
 * Moderator wellbeing on every console page (issue 19 item 5). The effective settings come from one place,
 * `wellbeingFor` in hub/domain/wellbeing.ts, which the sign-in guard calls for each page; `ConsolePage` then puts
 * them on the page, so a feature has nothing to look up:
 *
 * - `<body class="wb-blur wb-grey wb-hide-text">`: console.css blurs and greys every `img.sensitive-media` by these
 *   classes. Show a captured picture with `<SensitiveImage>` (a "Show" toggle, CSS only) or, where a toggle does not
 *   fit (a queue thumbnail), as `<img class="sensitive-media">` inside an element of class `media`.
 * - `<CapturedText>` holds captured words back behind a "Show the captured text" disclosure when the moderator's
 *   "hide text" is on, and shows them plainly otherwise.
 * - The break reminder is drawn by `ConsolePage` itself, on the pages that count as work (queue, reports, clusters).
 *
 * Without a session's settings (a page rendered after a POST) every protection is on: the safe side.
 */
import { createContext, type ComponentChildren, type VNode } from 'preact';
import { useContext } from 'preact/hooks';
import { ct } from '../../../lib/i18n/console';
import type { Protections, Wellbeing } from '../../domain/wellbeing';

export type { Wellbeing } from '../../domain/wellbeing';

const ALL_ON: Protections = { blurMedia: true, greyscaleMedia: true, hideText: true };

/** The protections in force on the page being rendered (ConsolePage provides them). */
export const WellbeingContext = createContext<Protections>(ALL_ON);

/** The protections from a session's settings, all on without them. */
export const protectionsOf = (wellbeing: Wellbeing | undefined): Protections =>
  wellbeing ? { blurMedia: wellbeing.blurMedia, greyscaleMedia: wellbeing.greyscaleMedia, hideText: wellbeing.hideText } : ALL_ON;

/** The `<body>` classes console.css reads. */
export function protectionClasses(protections: Protections): string {
  return [protections.blurMedia && 'wb-blur', protections.greyscaleMedia && 'wb-grey', protections.hideText && 'wb-hide-text'].filter(Boolean).join(' ');
}

/** A captured picture: blurred and/or grey by the moderator's settings until they tick "Show" (unticking hides it again). */
export function SensitiveImage({ src, alt, id, label }: { src: string; alt: string; id: string; label?: ComponentChildren }): VNode {
  const { blurMedia, greyscaleMedia } = useContext(WellbeingContext);
  const held = blurMedia || greyscaleMedia;
  return (
    <div class="media">
      {held && (
        <>
          <input type="checkbox" id={id} class="reveal" />
          <label for={id}>{label ?? ct('evidence.show')}</label>
        </>
      )}
      <img class="sensitive-media" src={src} alt={alt} loading="lazy" data-testid="evidence-image" />
    </div>
  );
}

/** Captured words: behind a disclosure when the moderator hides captured text, plain otherwise. */
export function CapturedText({ children }: { children: ComponentChildren }): VNode {
  const { hideText } = useContext(WellbeingContext);
  if (!hideText) return <>{children}</>;
  return (
    <details class="held-text" data-testid="held-text">
      <summary>{ct('wellbeing.showText')}</summary>
      {children}
    </details>
  );
}
