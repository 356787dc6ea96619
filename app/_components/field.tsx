// A labelled form control with its error message below it. The label names the control by its
// id (the control's id is its name), and the message has an id of its own (`errorIdOf`) so the
// control can point to it with aria-describedby; the message stays out of the label, so the
// control's accessible name is the label alone.
import type { InputHTMLAttributes, ReactNode } from "react";

/** The id of a field's error message. */
export const errorIdOf = (name: string) => `${name}-error`;

/** Props that mark a control invalid and tie it to its message, or nothing when it is valid. */
export const invalidProps = (name: string, error?: string) => (error ? { "aria-invalid": true, "aria-describedby": errorIdOf(name) } : {});

export function Field({ label, name, error, hint, children }: { label: string; name: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="block min-w-0 space-y-1">
      <label className="block text-sm font-medium text-slate-700" htmlFor={name}>
        {label}
      </label>
      {children}
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {error ? (
        <span role="alert" id={errorIdOf(name)} data-field-error={name} className="block text-sm text-red-600">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200";

export function Input(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input id={props.name} {...props} className={inputClass} />;
}
