import { render } from 'preact';
import { QuickExit } from '@/components/QuickExit';
import { NEUTRAL_PAGE } from '@/lib/quick-exit';
import policy from 'virtual:ohr-privacy-policy';
import '@/components/styles.css';

/**
 * The privacy policy inside the extension, linked from the settings: docs/privacy.md, rendered to HTML when the
 * extension is built (scripts/privacy-page.ts), so the page and the text the stores link to never differ. English
 * only, as the policy is; the quick exit is the same as on every other page.
 */
render(
  <main class="privacy">
    <QuickExit onExit={() => location.replace(NEUTRAL_PAGE)} />
    {/* Build-time HTML from this repository's own Markdown (marked escapes it), never page or network content. */}
    <article dangerouslySetInnerHTML={{ __html: policy }} />
  </main>,
  document.getElementById('app')!,
);
