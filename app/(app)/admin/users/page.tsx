"use client";
// Users: search, disable or enable, grant or remove site admin rights.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
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
      <input aria-label="Search users" className={inputClass} placeholder="Search by email or name" value={search} onChange={(e) => setSearch(e.target.value)} />
      {set.error ? <p role="alert" className="text-sm text-red-700">{set.error.message}</p> : null}
      <table className="w-full text-left text-sm" data-testid="admin-users">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1">User</th>
            <th>Workspaces</th>
            <th>Videos</th>
            <th>Joined</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <tr key={u.id} className="border-t border-slate-100">
              <td className="py-1">
                {u.email}
                {u.isSiteAdmin ? <span className="ml-2 rounded bg-slate-100 px-1 text-xs">site admin</span> : null}
              </td>
              <td>{u.workspaces}</td>
              <td>{u.videos}</td>
              <td>{new Date(u.createdAt).toISOString().slice(0, 10)}</td>
              <td>{u.disabledAt ? "disabled" : "active"}</td>
              <td className="space-x-3 text-right">
                <button type="button" className="underline" onClick={() => set.mutate({ userId: u.id, disabled: !u.disabledAt })}>
                  {u.disabledAt ? "Enable" : "Disable"}
                </button>
                <button type="button" className="underline" onClick={() => set.mutate({ userId: u.id, siteAdmin: !u.isSiteAdmin })}>
                  {u.isSiteAdmin ? "Remove admin" : "Make admin"}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
