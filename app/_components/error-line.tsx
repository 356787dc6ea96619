// The one way a page shows an error message: a line announced to screen readers
// (role="alert"). Give it the error (nothing is shown without one) or the message itself.
import type { ReactNode } from "react";

type Props = {
  error?: { message: string } | null;
  children?: ReactNode;
  /** A span, for a message beside a button or inside a line of text. */
  inline?: boolean;
  /** On a light red background, for the message of a whole form. */
  boxed?: boolean;
  className?: string;
  "data-testid"?: string;
};

export function ErrorLine({ error, children, inline, boxed, className, "data-testid": testId }: Props) {
  const message = children ?? error?.message;
  if (!message) return null;
  const Tag = inline ? "span" : "p";
  const look = boxed ? "rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" : "text-sm text-red-700";
  return (
    <Tag role="alert" className={className ? `${className} ${look}` : look} data-testid={testId}>
      {message}
    </Tag>
  );
}
