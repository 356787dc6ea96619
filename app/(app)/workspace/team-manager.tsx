"use client";
// Members, invitations and the workspace itself: rename, invite (the link is shown to copy),
// change roles, remove, leave, transfer ownership, delete, and create another workspace.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { DataTable } from "../../_components/data-table";
import { ErrorLine } from "../../_components/error-line";
import { inputClass } from "../../_components/field";
import { useTRPC } from "../../_components/trpc";

const ROLES = ["admin", "editor", "viewer"] as const;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export function TeamManager(props: { userId: string; role: string; personal: boolean; workspaceName: string; canManage: boolean; canRename: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.workspaces.members.queryOptions());
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.workspaces.members.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.workspaces.audit.queryKey() });
    router.refresh();
  };
  const away = () => {
    // The active workspace changed: nothing cached is current.
    void queryClient.invalidateQueries();
    router.push("/videos");
    router.refresh();
  };
  const [name, setName] = useState(props.workspaceName);
  const [invite, setInvite] = useState({ email: "", role: "editor" as (typeof ROLES)[number] });
  const [newName, setNewName] = useState("");
  const [confirmName, setConfirmName] = useState("");
  const rename = useMutation(trpc.workspaces.rename.mutationOptions({ onSuccess: refresh }));
  const inviteM = useMutation(trpc.workspaces.invite.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.workspaces.revokeInvitation.mutationOptions({ onSuccess: refresh }));
  const changeRole = useMutation(trpc.workspaces.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.workspaces.removeMember.mutationOptions({ onSuccess: refresh }));
  const transfer = useMutation(trpc.workspaces.transferOwnership.mutationOptions({ onSuccess: refresh }));
  const leave = useMutation(trpc.workspaces.leave.mutationOptions({ onSuccess: away }));
  const del = useMutation(trpc.workspaces.delete.mutationOptions({ onSuccess: away }));
  const create = useMutation(trpc.workspaces.create.mutationOptions({ onSuccess: away }));
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const inviteUrl = (token: string) => `${origin}/invite/${token}`;

  return (
    <div className="space-y-6">
      {props.canRename ? (
        <Section title="Name">
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              rename.mutate({ name });
            }}
          >
            <label className="sr-only" htmlFor="workspace-rename">
              Workspace name
            </label>
            <input id="workspace-rename" className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />
            <button type="submit" className="rounded-md border border-slate-300 px-3 text-sm hover:bg-slate-100">
              Rename
            </button>
          </form>
          <ErrorLine error={rename.error} />
        </Section>
      ) : null}

      <Section title="Members">
        <DataTable
          data-testid="members"
          rows={members.data?.members}
          rowKey={(m) => m.userId}
          rowTestId={(m) => `member-${m.email}`}
          columns={[
            {
              header: "Member",
              headerClassName: "py-1",
              className: "py-1",
              cell: (m) => (
                <>
                  {m.name ? `${m.name} · ` : ""}
                  {m.email}
                  {m.userId === props.userId ? " (you)" : ""}
                </>
              ),
            },
            {
              header: "Role",
              cell: (m) =>
                props.canManage && m.role !== "owner" && m.userId !== props.userId ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    className="rounded border border-slate-300 px-1"
                    value={m.role}
                    onChange={(e) => changeRole.mutate({ userId: m.userId, role: e.target.value as (typeof ROLES)[number] })}
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                ) : (
                  m.role
                ),
            },
            {
              className: "space-x-3 text-right",
              cell: (m) => (
                <>
                  {props.canManage && m.role !== "owner" && m.userId !== props.userId ? (
                    <button type="button" className="text-red-700 underline" onClick={() => remove.mutate({ userId: m.userId })}>
                      Remove
                    </button>
                  ) : null}
                  {props.role === "owner" && m.userId !== props.userId ? (
                    <button
                      type="button"
                      className="text-slate-700 underline"
                      onClick={() => confirm(`Make ${m.email} the owner? You will become an admin.`) && transfer.mutate({ userId: m.userId })}
                    >
                      Make owner
                    </button>
                  ) : null}
                </>
              ),
            },
          ]}
        />
        <ErrorLine error={changeRole.error ?? remove.error ?? transfer.error} />
        {props.role !== "owner" ? (
          <button type="button" className="text-sm text-red-700 underline" onClick={() => leave.mutate()}>
            Leave this workspace
          </button>
        ) : null}
        <ErrorLine error={leave.error} />
      </Section>

      {props.canManage ? (
        <Section title="Invite">
          <form
            className="grid gap-2 sm:grid-cols-[1fr_auto_auto]"
            onSubmit={(e) => {
              e.preventDefault();
              inviteM.mutate(invite);
            }}
          >
            <label className="sr-only" htmlFor="invite-email">
              Email to invite
            </label>
            <input
              id="invite-email"
              type="email"
              className={inputClass}
              placeholder="name@example.com"
              value={invite.email}
              onChange={(e) => setInvite({ ...invite, email: e.target.value })}
            />
            <label className="sr-only" htmlFor="invite-role">
              Role
            </label>
            <select
              id="invite-role"
              className={inputClass}
              value={invite.role}
              onChange={(e) => setInvite({ ...invite, role: e.target.value as (typeof ROLES)[number] })}
            >
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
            <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white">
              Create invitation link
            </button>
          </form>
          <ErrorLine error={inviteM.error} />
          {inviteM.data?.emailed ? <p className="text-sm text-emerald-700">E-mailed to {invite.email}.</p> : null}
          {inviteM.data?.emailError ? <p className="text-sm text-amber-700">{inviteM.data.emailError}</p> : null}
          {inviteM.data ? (
            <p className="text-sm">
              {inviteM.data.emailed ? "The link, if you want to send it yourself" : `Send this link to ${invite.email}`} (valid 7 days):{" "}
              <input
                readOnly
                className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs"
                value={inviteUrl(inviteM.data.token)}
                data-testid="invite-link"
                onFocus={(e) => e.target.select()}
              />
            </p>
          ) : null}
          {members.data?.invitations.length ? (
            <ul className="space-y-1 text-sm" data-testid="invitations">
              {members.data.invitations.map((i) => (
                <li key={i.id} className="flex items-center gap-3">
                  <span>
                    {i.email} · {i.role} · until {new Date(i.expiresAt).toISOString().slice(0, 10)}
                  </span>
                  <button type="button" className="text-sky-700 underline" onClick={() => void navigator.clipboard?.writeText(inviteUrl(i.token))}>
                    Copy link
                  </button>
                  <button type="button" className="text-red-700 underline" onClick={() => revoke.mutate({ invitationId: i.id })}>
                    Revoke
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </Section>
      ) : null}

      <Section title="New workspace">
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name: newName });
          }}
        >
          <label className="sr-only" htmlFor="new-workspace">
            New workspace name
          </label>
          <input id="new-workspace" className={inputClass} placeholder="Team name" value={newName} onChange={(e) => setNewName(e.target.value)} />
          <button type="submit" className="rounded-md border border-slate-300 px-3 text-sm hover:bg-slate-100">
            Create and switch
          </button>
        </form>
        <ErrorLine error={create.error} />
      </Section>

      {props.role === "owner" && !props.personal ? (
        <Section title="Delete this workspace">
          <p className="text-sm text-slate-600">Its videos, jobs, documents and settings are deleted for everyone. Type its name to confirm.</p>
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              del.mutate({ confirmName });
            }}
          >
            <label className="sr-only" htmlFor="confirm-delete">
              Workspace name to confirm
            </label>
            <input id="confirm-delete" className={inputClass} value={confirmName} onChange={(e) => setConfirmName(e.target.value)} />
            <button type="submit" className="rounded-md bg-red-700 px-3 text-sm font-semibold text-white">
              Delete
            </button>
          </form>
          <ErrorLine error={del.error} />
        </Section>
      ) : null}
    </div>
  );
}
