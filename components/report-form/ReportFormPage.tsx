import { useState } from 'preact/hooks';
import { applyLanguage, setLanguage } from '@/lib/i18n';
import type { ClientInfo } from '@/lib/report/from-answers';
import type { ReportFormApi } from './api';
import { LanguageChoice } from './LanguageChoice';
import { ReportForm } from './ReportForm';

/**
 * The form with its language choice. Changing the language re-renders everything in place (answers and the
 * current step stay as they are) and sets `lang` and `dir` on the page so right-to-left scripts mirror the layout.
 */
export function ReportFormPage(props: {
  api: ReportFormApi;
  draftId: string;
  client: ClientInfo;
  /** Remembers the manual choice for the next page. */
  rememberLanguage(tag: string): void;
}) {
  // Held only to re-render: the catalogue itself is module state, and every component reads it as it renders.
  const [, setActive] = useState(() => document.documentElement.lang || 'en');
  const choose = (tag: string) => {
    const chosen = setLanguage([tag]);
    applyLanguage(document.documentElement, chosen);
    props.rememberLanguage(chosen);
    setActive(chosen);
  };
  return (
    <div>
      <LanguageChoice onChoose={choose} />
      <ReportForm api={props.api} draftId={props.draftId} client={props.client} />
    </div>
  );
}
