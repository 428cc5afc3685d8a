/**
 * The form's inputs. Each one's id is the report field's dotted path (`reporter.email`), so the schema's error for
 * that path lands next to it, tied by `aria-describedby` and flagged with `aria-invalid`.
 */
import type { ComponentChildren } from 'preact';
import { t } from '@/lib/i18n';
import type { FieldErrors } from '@/lib/report/validate';

export const errorId = (path: string) => `${path}-error`;
const hintId = (path: string) => `${path}-hint`;

function describedBy(path: string, hint: string | undefined, error: string | undefined): string | undefined {
  return [hint ? hintId(path) : undefined, error ? errorId(path) : undefined].filter(Boolean).join(' ') || undefined;
}

function Hint({ path, hint }: { path: string; hint: string | undefined }) {
  return hint ? <p class="hint" id={hintId(path)}>{hint}</p> : null;
}

export function FieldError({ path, errors }: { path: string; errors: FieldErrors }) {
  const message = errors[path];
  return message ? <p class="problem field-error" id={errorId(path)}>{message}</p> : null;
}

interface TextProps {
  path: string;
  label: string;
  value: string | undefined;
  onInput(value: string): void;
  errors: FieldErrors;
  hint?: string;
  optional?: boolean;
  type?: 'text' | 'email' | 'tel' | 'date';
  maxLength?: number;
  multiline?: boolean;
  autoComplete?: string;
}

/**
 * A text answer. `maxLength` is the schema's cap, but not the browser's `maxlength`, which cuts pasted text silently:
 * past it, the field says at once how far over it is, and the schema stops the step until it is shortened.
 */
export function TextField(props: TextProps) {
  const { path, label, value, onInput, hint, optional, type = 'text', maxLength, multiline, autoComplete } = props;
  // Counted as it will be sent: answers are trimmed (lib/report/from-answers.ts), as the schema's check sees them.
  const over = maxLength === undefined ? 0 : (value ?? '').trim().length - maxLength;
  const errors = over > 0 ? { ...props.errors, [path]: t('form.tooLong', { over, max: maxLength! }) } : props.errors;
  const common = {
    id: path,
    value: value ?? '',
    'aria-invalid': errors[path] ? ('true' as const) : undefined,
    'aria-describedby': describedBy(path, hint, errors[path]),
    onInput: (event: Event) => onInput((event.currentTarget as HTMLInputElement | HTMLTextAreaElement).value),
  };
  return (
    <div class="field">
      <label for={path}>
        {label} {optional && <span class="optional">{t('form.optional')}</span>}
      </label>
      <Hint path={path} hint={hint} />
      <FieldError path={path} errors={errors} />
      {multiline ? <textarea {...common} /> : <input {...common} type={type as 'text'} autoComplete={autoComplete} />}
    </div>
  );
}

export function Checkbox({ id, label, checked, onChange }: { id: string; label: string; checked: boolean; onChange(checked: boolean): void }) {
  return (
    <label class="choice" for={id}>
      <input type="checkbox" id={id} checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} />
      {label}
    </label>
  );
}

interface ChoiceGroupProps<V extends string> {
  path: string;
  legend: string;
  /** `lang` marks a label written in another language (a language's own name), so it is read out in that language. */
  options: ReadonlyArray<{ value: V; label: string; lang?: string }>;
  errors: FieldErrors;
  hint?: string;
  children?: ComponentChildren;
}

/** One answer from a short list, as radio buttons in a fieldset (arrow keys move between them). */
export function RadioGroup<V extends string>(props: ChoiceGroupProps<V> & { value: V | undefined; onChange(value: V): void }) {
  const { path, options, value, onChange, children } = props;
  return (
    <ChoiceFieldset {...props}>
      {options.map((option) => (
        <label class="choice" key={option.value} for={`${path}-${option.value}`}>
          <input
            type="radio"
            id={`${path}-${option.value}`}
            name={path}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />
          {option.lang ? <span lang={option.lang}>{option.label}</span> : option.label}
        </label>
      ))}
      {children}
    </ChoiceFieldset>
  );
}

/** Any number of answers from a list, as checkboxes in a fieldset. */
export function CheckboxGroup<V extends string>(props: ChoiceGroupProps<V> & { value: readonly V[]; onChange(value: V[]): void }) {
  const { path, options, value, onChange, children } = props;
  const toggle = (option: V, on: boolean) => onChange(on ? [...value.filter((v) => v !== option), option] : value.filter((v) => v !== option));
  return (
    <ChoiceFieldset {...props}>
      {options.map((option) => (
        <Checkbox
          key={option.value}
          id={`${path}-${option.value}`}
          label={option.label}
          checked={value.includes(option.value)}
          onChange={(on) => toggle(option.value, on)}
        />
      ))}
      {children}
    </ChoiceFieldset>
  );
}

/** The frame every group of choices shares: its question as the legend, the hint and the error tied to it. */
function ChoiceFieldset({ path, legend, hint, errors, children }: Omit<ChoiceGroupProps<string>, 'options'>) {
  return (
    <fieldset id={path} aria-describedby={describedBy(path, hint, errors[path])}>
      <legend>{legend}</legend>
      <Hint path={path} hint={hint} />
      <FieldError path={path} errors={errors} />
      {children}
    </fieldset>
  );
}

/** A yes/no question whose unanswered state stays visibly unanswered (undefined), unlike a lone checkbox. */
export function YesNo({ path, legend, value, onChange, errors, hint }: {
  path: string;
  legend: string;
  value: boolean | undefined;
  onChange(value: boolean): void;
  errors: FieldErrors;
  hint?: string;
}) {
  return (
    <RadioGroup
      path={path}
      legend={legend}
      hint={hint}
      errors={errors}
      value={value === undefined ? undefined : value ? 'yes' : 'no'}
      options={[
        { value: 'yes', label: t('form.yes') },
        { value: 'no', label: t('form.no') },
      ]}
      onChange={(answer) => onChange(answer === 'yes')}
    />
  );
}
