import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from "react";

// Form controls, each with its label tied to it and an optional hint read with it.

interface Labelled {
  label: ReactNode;
  hint?: ReactNode;
}

export function TextField({ label, hint, ...input }: Labelled & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint ? (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

export function TextArea({ label, hint, ...area }: Labelled & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...area} />
      {hint ? (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({
  label,
  hint,
  options,
  ...select
}: Labelled & { options: readonly (Option | string)[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...select}>
        {options.map((o) => {
          const opt = typeof o === "string" ? { value: o, label: o } : o;
          return (
            <option key={opt.value} value={opt.value}>
              {opt.label}
            </option>
          );
        })}
      </select>
      {hint ? (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

/** One choice of several: radio buttons in a fieldset whose legend names the question. */
export function RadioGroup({
  legend,
  name,
  options,
  value,
  onChange,
  hint,
}: {
  legend: ReactNode;
  name: string;
  options: readonly Option[];
  value: string | undefined;
  onChange: (v: string) => void;
  hint?: ReactNode;
}) {
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {options.map((o) => (
        <label key={o.value} className="choice">
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
          />{" "}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Several choices: checkboxes in a fieldset. */
export function CheckboxGroup({
  legend,
  options,
  values,
  onChange,
  hint,
}: {
  legend: ReactNode;
  options: readonly Option[];
  values: readonly string[];
  onChange: (v: string[]) => void;
  hint?: ReactNode;
}) {
  const toggle = (v: string, on: boolean) =>
    onChange(on ? [...values.filter((x) => x !== v), v] : values.filter((x) => x !== v));
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      <div className="choice-list">
        {options.map((o) => (
          <label key={o.value} className="choice">
            <input
              type="checkbox"
              value={o.value}
              checked={values.includes(o.value)}
              onChange={(e) => toggle(o.value, e.currentTarget.checked)}
            />{" "}
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
