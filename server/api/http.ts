// The tRPC endpoint's HTTP handling, shared by the route and its tests: one place for the
// limits every request meets before any procedure runs.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./root.ts";
import type { Context } from "./trpc.ts";

/** The most calls one batched request may carry (the browser's batch link splits at the same size). */
export const MAX_BATCH_SIZE = 20;

export function handleTrpcRequest(req: Request, createContext: () => Promise<Context>) {
  return fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext, maxBatchSize: MAX_BATCH_SIZE });
}
