/**
 * The open data page's public layout: under the organisation's name, headed "Published data", with a way to the
 * organisation's report page; none of the console's navigation, since the people reading it never sign in.
 */
import type { ComponentChildren, VNode } from 'preact';
import { ct } from '../../../lib/i18n/console';
import { href } from '../shared/links';

/** The hub's own page (hub/home), where the organisation takes reports. */
const HOME = '/';

export function PublicPage({ title, organisation, children }: { title: string; organisation: string; children: ComponentChildren }): VNode {
  return (
    <html lang="en" dir="ltr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · ${organisation}`}</title>
        <link rel="stylesheet" href={href.css} />
      </head>
      <body class="public">
        <a class="skip" href="#main">
          {ct('console.skip')}
        </a>
        <header class="bar">
          <p class="brand">{organisation}</p>
          <nav aria-label={organisation}>
            <ul>
              <li>
                <a href={HOME}>{ct('openData.reportTo', { name: organisation })}</a>
              </li>
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}
