/**
 * The status page's support links: the organisation's links that fit this report (lib/support-links.ts, the same rule
 * as the extension's done page), read from the report's closed-list columns, which an erased report keeps too.
 * Words from the shared catalogue (`support.*`, in English, Welsh and Arabic); labels and addresses are the
 * organisation's own, shown as text, opened in a new tab without a Referer.
 */
import type { VNode } from 'preact';
import type { StatusWordKey } from '../../lib/i18n/status';
import { matchingSupportLinks, type SupportLink } from '../../lib/support-links';
import type { Queryable } from '../db';

export async function supportSection(
  db: Queryable,
  links: readonly SupportLink[],
  reference: string,
  t: (key: StatusWordKey) => string,
): Promise<VNode | null> {
  if (links.length === 0) return null;
  const [row] = await db.query<{ characteristics: string[]; harm_types: string[] }>('SELECT characteristics, harm_types FROM reports WHERE reference = $1', [reference]);
  const shown = matchingSupportLinks(links, { characteristics: row?.characteristics ?? [], harms: row?.harm_types ?? [] });
  if (shown.length === 0) return null;
  return (
    <section aria-labelledby="support">
      <h2 id="support">{t('support.heading')}</h2>
      <p>{t('support.intro')}</p>
      <ul>
        {shown.map((link) => (
          <li>
            <a href={link.url} target="_blank" rel="noreferrer noopener">
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
