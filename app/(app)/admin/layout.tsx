// The site admin console: only site admins see it; anyone else gets a 404.
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requireWorkspace } from "@/server/auth/session";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const { user } = await requireWorkspace();
  if (!user.isSiteAdmin) notFound();
  return (
    <div className="space-y-6">
      <div className="flex items-center gap-6">
        <h1 className="text-2xl font-bold tracking-tight">Admin</h1>
        <nav className="flex gap-4 text-sm">
          <Link href="/admin" className="text-sky-700 hover:underline">
            Jobs
          </Link>
          <Link href="/admin/users" className="text-sky-700 hover:underline">
            Users
          </Link>
          <Link href="/admin/workspaces" className="text-sky-700 hover:underline">
            Workspaces
          </Link>
          <Link href="/admin/system" className="text-sky-700 hover:underline">
            System
          </Link>
        </nav>
      </div>
      {children}
    </div>
  );
}
