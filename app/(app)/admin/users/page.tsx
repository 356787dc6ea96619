"use client";
// Users: search, disable or enable, grant or remove site admin rights.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable } from "../../../_components/data-table";
import { ErrorLine } from "../../../_components/error-line";
import { inputClass } from "../../../_components/field";
import { useTRPC } from "../../../_components/trpc";

export default function AdminUsersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const users = useQuery(trpc.admin.users.queryOptions({ search }));
  const set = useMutation(trpc.admin.setUser.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.queryKey() }) }));
  return (
    <div className="space-y-3">
      <input
        aria-label="Search users"
        className={inputClass}
        placeholder="Search by email or name"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <ErrorLine error={set.error} />
      <DataTable
        data-testid="admin-users"
        rows={users.data}
        rowKey={(u) => u.id}
        columns={[
          {
            header: "User",
            headerClassName: "py-1",
            className: "py-1",
            cell: (u) => (
              <>
                {u.email}
                {u.isSiteAdmin ? <span className="ml-2 rounded bg-slate-100 px-1 text-xs">site admin</span> : null}
              </>
            ),
          },
          { header: "Workspaces", cell: (u) => u.workspaces },
          { header: "Videos", cell: (u) => u.videos },
          { header: "Joined", cell: (u) => new Date(u.createdAt).toISOString().slice(0, 10) },
          { header: "State", cell: (u) => (u.disabledAt ? "disabled" : "active") },
          {
            className: "space-x-3 text-right",
            cell: (u) => (
              <>
                <button type="button" className="underline" onClick={() => set.mutate({ userId: u.id, disabled: !u.disabledAt })}>
                  {u.disabledAt ? "Enable" : "Disable"}
                </button>
                <button type="button" className="underline" onClick={() => set.mutate({ userId: u.id, siteAdmin: !u.isSiteAdmin })}>
                  {u.isSiteAdmin ? "Remove admin" : "Make admin"}
                </button>
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
