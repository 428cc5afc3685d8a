/**
 * The report form: one step at a time with progress shown, urgency first, a check before sending. Leaving a step runs
 * the widget's quick checks; sending writes the report to the outbox first; the hub's refusals come back as field
 * errors and open the step that can fix them.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Discovery, FieldError } from '@/lib/schema';
import { write, type Answer, type Answers } from './answers';
import { checkStep } from './checks';
import type { FieldErrors } from './fields';
import { t } from './i18n';
import type { WidgetItem } from './report';
import { STEPS } from './steps';

export interface FormProps {
  discovery: Discovery;
  answers: Answers;
  items: WidgetItem[];
  /** The hub's refusal of an earlier send, shown until the person changes something. */
  problem?: { message: string; fields?: FieldError[] } | undefined;
  onSend(answers: Answers, items: WidgetItem[]): void;
}

export function Form({ discovery, problem, onSend, ...initial }: FormProps) {
  const [answers, setAnswers] = useState(initial.answers);
  const [items, setItems] = useState(initial.items);
  const [errors, setErrors] = useState<FieldErrors>(() => Object.fromEntries(problem?.fields?.map((field) => [field.path, field.message]) ?? []));
  const steps = STEPS.filter((step) => step.applies?.(answers) ?? true);
  const [stepId, setStepId] = useState(() => steps.find((step) => stepErrors(step.paths, errors).length > 0)?.id ?? steps[0]!.id);
  const index = Math.max(0, steps.findIndex((step) => step.id === stepId));
  const step = steps[index]!;
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    // Each new step's heading takes focus so a screen reader announces it; not on first render, which would scroll the host page.
    if (moved.current) heading.current?.focus();
    moved.current = true;
  }, [stepId]);

  const set = (path: string, value: Answer) => setAnswers((current) => write(current, path, value));
  const goTo = (id: string) => setStepId(id);
  const leave = (next: number) => {
    const found = next > index ? checkStep(step.id, answers, items) : {};
    setErrors(found);
    if (Object.keys(found).length === 0) goTo(steps[next]!.id);
  };
  const send = () => {
    const found = Object.assign({}, ...steps.map((candidate) => checkStep(candidate.id, answers, items))) as FieldErrors;
    setErrors(found);
    const first = steps.find((candidate) => stepErrors(candidate.paths, found).length > 0);
    if (first) goTo(first.id);
    else onSend(answers, items);
  };
  const shown = stepErrors(step.paths, errors);
  const last = index === steps.length - 1;
  return (
    <form part="form" noValidate onSubmit={(event) => (event.preventDefault(), last ? send() : leave(index + 1))}>
      <p class="progress">{t('form.progress', { current: index + 1, total: steps.length })}</p>
      <h2 part="heading" tabIndex={-1} ref={heading}>{t(step.title)}</h2>
      {problem && <p class="error" part="error" role="alert">{t('widget.attention', { message: problem.message })}</p>}
      {shown.length > 0 && (
        <div class="summary" role="alert">
          <p>{t('form.errorSummary')}</p>
          <ul>{shown.map(([path, message]) => <li key={path}>{message}</li>)}</ul>
        </div>
      )}
      {step.Body({ answers, errors, set, discovery, items, setItems, goTo })}
      <div class="actions">
        {index > 0 && <button type="button" part="button" onClick={() => leave(index - 1)}>{t('form.back')}</button>}
        {step.optional && <button type="button" class="link" part="link" onClick={() => leave(index + 1)}>{t('form.skip')}</button>}
        <button type="submit" class="primary" part="button primary">{t(last ? 'check.send' : 'form.next')}</button>
      </div>
      {last && Object.keys(errors).length > 0 && <p class="error" part="error">{t('check.incomplete')}</p>}
    </form>
  );
}

/** The errors under a step's paths, as [path, message]. */
function stepErrors(paths: readonly string[], errors: FieldErrors): Array<[string, string]> {
  return Object.entries(errors).filter(([path]) => paths.some((prefix) => path === prefix || path.startsWith(`${prefix}.`)));
}
