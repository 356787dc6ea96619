import Link from "next/link";
import type { ReactNode } from "react";
import { can } from "@/server/auth/permissions";
import { requireWorkspace } from "@/server/auth/session";
import { signOutAction } from "../(auth)/actions";
import { WorkspaceSwitcher } from "../_components/workspace-switcher";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user, workspace, role } = await requireWorkspace();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <Link href="/videos" className="text-lg font-bold tracking-tight">
            Aura
          </Link>
          <nav className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            <Link href="/videos" className="text-slate-700 hover:text-slate-900">
              Library
            </Link>
            <Link href="/videos/new" className="text-slate-700 hover:text-slate-900">
              New video
            </Link>
            <Link href="/workspace" className="text-slate-700 hover:text-slate-900">
              Team
            </Link>
            <Link href="/media" className="text-slate-700 hover:text-slate-900">
              Media
            </Link>
            <Link href="/knowledge" className="text-slate-700 hover:text-slate-900">
              Knowledge
            </Link>
            {user.isSiteAdmin ? (
              <Link href="/admin" className="text-slate-700 hover:text-slate-900">
                Admin
              </Link>
            ) : null}
            {can(role, "settings.manage") ? (
              <Link href="/settings" className="text-slate-700 hover:text-slate-900">
                Providers
              </Link>
            ) : (
              // Members who cannot change providers still see the brand kit their videos use.
              <Link href="/settings#brand-kit" className="text-slate-700 hover:text-slate-900">
                Brand kit
              </Link>
            )}
          </nav>
          <div className="ml-auto flex min-w-0 flex-wrap items-center gap-3 text-sm text-slate-600">
            <WorkspaceSwitcher activeName={workspace.name} />
            <span className="text-slate-300">|</span>
            <span data-testid="user-email" className="min-w-0 break-all">
              {user.email}
            </span>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
