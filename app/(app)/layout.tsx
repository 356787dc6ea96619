import Link from "next/link";
import type { ReactNode } from "react";
import { can } from "@/server/auth/permissions";
import { requireWorkspace } from "@/server/auth/session";
import { signOutAction } from "../(auth)/actions";
import { HeaderMenu } from "../_components/header-menu";
import { WorkspaceSwitcher } from "../_components/workspace-switcher";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user, workspace, role } = await requireWorkspace();
  const links = [
    { href: "/videos", label: "Library" },
    { href: "/videos/new", label: "New video" },
    { href: "/workspace", label: "Team" },
    { href: "/media", label: "Media" },
    { href: "/knowledge", label: "Knowledge" },
    ...(user.isSiteAdmin ? [{ href: "/admin", label: "Admin" }] : []),
    // Members who cannot change providers still see the brand kit their videos use.
    can(role, "settings.manage") ? { href: "/settings", label: "Providers" } : { href: "/settings#brand-kit", label: "Brand kit" },
  ];
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <Link href="/videos" className="text-lg font-bold tracking-tight">
            Aura
          </Link>
          <HeaderMenu>
            <nav aria-label="Main" className="flex flex-col gap-2 text-base md:flex-row md:flex-wrap md:gap-x-4 md:gap-y-1 md:text-sm">
              {links.map((link) => (
                <Link key={link.href} href={link.href} className="text-slate-700 hover:text-slate-900">
                  {link.label}
                </Link>
              ))}
            </nav>
            <div className="flex min-w-0 flex-wrap items-center gap-3 text-sm text-slate-600 md:ml-auto">
              <WorkspaceSwitcher activeName={workspace.name} />
              <span data-testid="user-email" className="min-w-0 break-all">
                {user.email}
              </span>
              <form action={signOutAction}>
                <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
                  Sign out
                </button>
              </form>
            </div>
          </HeaderMenu>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
