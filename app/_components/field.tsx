import type { InputHTMLAttributes, ReactNode } from "react";

export function Field({ label, name, error, children }: { label: string; name: string; error?: string; children: ReactNode }) {
  return (
    <label className="block space-y-1" htmlFor={name}>
      <span className="text-sm font-medium text-slate-700">{label}</span>
      {children}
      {error ? (
        <span role="alert" data-field-error={name} className="block text-sm text-red-600">
          {error}
        </span>
      ) : null}
    </label>
  );
}

export const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200";

export function Input(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input id={props.name} {...props} className={inputClass} />;
}
