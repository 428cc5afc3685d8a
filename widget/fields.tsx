/**
 * The widget's inputs. Each id is the report field's dotted path, so an error for that path — from the widget's own
 * checks or the hub's 422 `fields` — is shown next to it, tied by `aria-describedby` and flagged with `aria-invalid`.
 */
import { read, type Answer, type Answers } from './answers';
import { t } from './i18n';

export type FieldErrors = Record<string, string>;

/** What every field needs: the answers, the errors, and how to change one answer. */
export interface FormState {
  answers: Answers;
  errors: FieldErrors;
  set(path: string, value: Answer): void;
}

const describedBy = (path: string, hint: unknown, errors: FieldErrors) =>
  [hint && `${path}-hint`, errors[path] && `${path}-error`].filter(Boolean).join(' ') || undefined;

/** A field's hint and its error, if any, under ids that its `aria-describedby` names. */
export function Notes({ path, hint, errors }: { path: string; hint?: string | undefined; errors: FieldErrors }) {
  return (
    <>
      {hint && <p class="hint" id={`${path}-hint`}>{hint}</p>}
      {errors[path] && <p class="error" part="error" id={`${path}-error`}>{errors[path]}</p>}
    </>
  );
}

interface TextProps {
  path: string;
  label: string;
  hint?: string;
  max?: number;
  type?: 'email' | 'tel' | 'date' | 'url';
  /** A long answer: a text area. */
  long?: boolean;
  optional?: boolean;
  /** Instead of the answer at `path` (a date input shows a day, the report keeps an instant; an item's address is not an answer). */
  value?: string;
  onInput?(value: string): void;
}

/** A text input; with `value` and `onInput` it needs no answers. */
export function Text({ path, label, hint, max, type, long, optional = true, value, onInput, ...state }: TextProps & Pick<FormState, 'errors'> & Partial<FormState>) {
  const props = {
    id: path,
    part: 'input',
    maxLength: max,
    value: value ?? ((read(state.answers!, path) as string | undefined) ?? ''),
    'aria-invalid': state.errors[path] ? ('true' as const) : undefined,
    'aria-describedby': describedBy(path, hint, state.errors),
    onInput: (event: Event) => (onInput ?? ((text) => state.set!(path, text)))((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={path}>
        {label} {optional && <span class="hint">{t('form.optional')}</span>}
      </label>
      <Notes path={path} hint={hint} errors={state.errors} />
      {long ? <textarea rows={4} {...props} /> : <input type={type as 'text'} {...props} />}
    </div>
  );
}

export function Box({ id, label, checked, onChange }: { id: string; label: string; checked: boolean; onChange(on: boolean): void }) {
  return (
    <label class="choice">
      <input type="checkbox" id={id} checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} />
      {label}
    </label>
  );
}

/** Values with their labels in words, in the order they are offered. */
export type Options = Readonly<Record<string, string>>;

/**
 * A question answered by choosing: one answer (radios), or with `many` any number of them (checkboxes, the answer a
 * list). Without `options`, a yes/no question whose answer is stored as true or false.
 */
export function Choices({ path, legend, hint, options, many, ...state }: { path: string; legend: string; hint?: string; options?: Options; many?: boolean } & FormState) {
  const current = read(state.answers, path);
  const chosen = (current as string[] | undefined) ?? [];
  return (
    <fieldset id={path} aria-describedby={describedBy(path, hint, state.errors)}>
      <legend>{legend}</legend>
      <Notes path={path} hint={hint} errors={state.errors} />
      {Object.entries(options ?? { true: t('form.yes'), false: t('form.no') }).map(([value, text]) => (
        <label class="choice" key={value}>
          <input type={many ? 'checkbox' : 'radio'} name={path} id={`${path}-${value}`} checked={many ? chosen.includes(value) : String(current) === value}
            onChange={(event) =>
              state.set(path, many ? (event.currentTarget.checked ? [...chosen, value] : chosen.filter((other) => other !== value)) : options ? value : value === 'true')} />
          {text}
        </label>
      ))}
    </fieldset>
  );
}
