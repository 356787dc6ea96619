"use client";
// The header's links and account on a phone: folded behind one Menu button, opened in a panel
// under the header; from md up they are always in the row. The children are rendered once,
// so ids and test ids stay unique.
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";

export function HeaderMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  // Following a link closes the menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the page changes
  useEffect(() => setOpen(false), [pathname]);
  return (
    <>
      <button
        type="button"
        className="ml-auto rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 md:hidden"
        aria-expanded={open}
        aria-controls="header-menu"
        onClick={() => setOpen((o) => !o)}
      >
        Menu
      </button>
      <div
        id="header-menu"
        className={`${open ? "flex" : "hidden"} w-full flex-col gap-3 border-t border-slate-100 pt-3 md:flex md:w-auto md:flex-1 md:flex-row md:items-center md:gap-6 md:border-0 md:pt-0`}
      >
        {children}
      </div>
    </>
  );
}
