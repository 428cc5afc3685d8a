/**
 * The report form: one step at a time with progress shown, urgency first, a check before sending. Leaving a step runs
 * the widget's quick checks; sending writes the report to the outbox first; the hub's refusals come back as field
 * errors and open the step that can fix them.
 */
import { Component, createRef } from 'preact';
import { applying } from '@/lib/report/steps';
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

interface FormState {
  answers: Answers;
  items: WidgetItem[];
  errors: FieldErrors;
  /** Until the person moves, the first step with errors (after a refusal), or the first step. */
  stepId?: string;
}

export class Form extends Component<FormProps, FormState> {
  heading = createRef<HTMLHeadingElement>();

  constructor(props: FormProps) {
    super(props);
    const errors: FieldErrors = Object.fromEntries(props.problem?.fields?.map((field) => [field.path, field.message]) ?? []);
    this.state = { answers: props.answers, items: props.items, errors };
  }

  // Each new step's heading takes focus so a screen reader announces it; not on first render, which would scroll the host page.
  override componentDidUpdate(_: FormProps, previous: FormState): void {
    if (previous.stepId !== this.state.stepId) this.heading.current?.focus();
  }

  set = (path: string, value: Answer) => this.setState(({ answers }) => ({ answers: write(answers, path, value) }));
  setItems = (items: WidgetItem[]) => this.setState({ items });
  goTo = (stepId: string) => this.setState({ stepId });

  override render({ discovery, problem, onSend }: FormProps, { answers, items, errors, stepId }: FormState) {
    const steps = applying(STEPS, answers);
    const index = Math.max(0, steps.findIndex((step) => (stepId ? step.id === stepId : stepErrors(step.paths, errors).length > 0)));
    const step = steps[index]!;
    const last = index === steps.length - 1;
    /** Back, on, or past the last step to send: going forwards checks this step (sending checks them all) and stops at the first step with errors. */
    const leave = (next: number) => {
      const found: FieldErrors = Object.assign({}, ...(next > index ? (last ? steps : [step]) : []).map((candidate) => checkStep(candidate.id, answers, items)));
      this.setState({ errors: found });
      const target = steps.find((candidate) => stepErrors(candidate.paths, found).length > 0) ?? steps[next];
      if (target) this.goTo(target.id);
      else onSend(answers, items);
    };
    const shown = stepErrors(step.paths, errors);
    return (
      <form part="form" noValidate onSubmit={(event) => (event.preventDefault(), leave(index + 1))}>
        <p class="hint">{t('form.progress', { current: index + 1, total: steps.length })}</p>
        <h2 part="heading" tabIndex={-1} ref={this.heading}>{step.title}</h2>
        {problem && <p class="error" part="error" role="alert">{t('widget.attention', { message: problem.message })}</p>}
        {shown.length > 0 && (
          <div class="summary" role="alert">
            <p>{t('form.errorSummary')}</p>
            <ul>{shown.map(([path, message]) => <li key={path}>{message}</li>)}</ul>
          </div>
        )}
        {step.Body({ answers, errors, set: this.set, discovery, items, setItems: this.setItems, goTo: this.goTo, steps })}
        <div class="actions">
          <button type="submit" class="primary" part="button primary">{last ? t('check.send') : t('form.next')}</button>
          {step.optional && <button type="button" class="link" part="link" onClick={() => leave(index + 1)}>{t('form.skip')}</button>}
          {index > 0 && <button type="button" part="button" onClick={() => leave(index - 1)}>{t('form.back')}</button>}
        </div>
        {last && Object.keys(errors).length > 0 && <p class="error" part="error">{t('check.incomplete')}</p>}
      </form>
    );
  }
}

/** The errors under a step's paths, as [path, message]. */
function stepErrors(paths: readonly string[], errors: FieldErrors): Array<[string, string]> {
  return Object.entries(errors).filter(([path]) => paths.some((prefix) => path === prefix || path.startsWith(`${prefix}.`)));
}
