"use client";
// The job's status as the live panel (job-progress.tsx) streams it, shared with the other live
// parts of the job page: the growing preview hides the moment the stream says the run has
// ended, without waiting for the server-rendered page to catch up.
import { useSyncExternalStore } from "react";

const statuses = new Map<string, string>();
const listeners = new Set<() => void>();

export function publishJobStatus(jobId: string, status: string) {
  if (statuses.get(jobId) === status) return;
  statuses.set(jobId, status);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The job's streamed status; undefined until the live panel has streamed any of it. */
export function useStreamedJobStatus(jobId: string): string | undefined {
  return useSyncExternalStore(
    subscribe,
    () => statuses.get(jobId),
    () => undefined,
  );
}
