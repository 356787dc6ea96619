// Calls the app's tRPC procedures as a signed-in user, as the app's route does: the session's
// user and the workspace cookie. `code` turns a call's outcome into "OK" or its error code.
import type { TRPCError } from "@trpc/server";
import type { Db } from "../../server/db/client.ts";

export async function callerFactory(db: Db) {
  const { appRouter } = await import("../../server/api/root.ts");
  /** A caller signed in as `userId`, sending the workspace cookie; workspace choices land in `switched`. */
  return (userId: string, workspaceId?: string, switched: (string | null)[] = []) =>
    appRouter.createCaller({
      db,
      session: { user: { id: userId } },
      headers: new Headers(workspaceId ? { cookie: `aura-workspace=${workspaceId}` } : {}),
      setWorkspace: async (id) => void switched.push(id),
    });
}

export type Caller = ReturnType<Awaited<ReturnType<typeof callerFactory>>>;

export async function code(call: Promise<unknown>) {
  try {
    await call;
    return "OK";
  } catch (error) {
    return (error as TRPCError).code ?? String(error);
  }
}
