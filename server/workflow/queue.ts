// Names shared by the app and the engines, and the built-in engine's queue messages. Kept
// apart from the workflow so that the web app can send work without loading the pipeline.
import type PgBoss from "pg-boss";
import type { Db, Prisma } from "../db/client.ts";

export const VIDEO_GENERATE_EVENT = "video/generate.requested";
export const VIDEO_RENDER_EVENT = "video/render.requested";
export const VIDEO_CANCELLED_EVENT = "video/generate.cancelled";
export const SCRIPT_REVIEWED_EVENT = "video/script.reviewed";

export const GENERATE_QUEUE = "video-generate";
export const RENDER_QUEUE = "video-render";
export const GENERATE_FUNCTION_ID = "video-generate";

/** One run of one workflow function for one job. */
export type QueueMessage = {
  jobId: string;
  functionId: string;
  data: Record<string, unknown>;
  /** Set on a run started by step.invoke: the parent's step that waits for its result. */
  parentStepId?: string;
  /** A resume after a wait: must not be dropped if the job is busy for a moment. */
  wake?: boolean;
};

/** The message that starts (or, with wake, resumes) a job's entry function. */
export function generateMessage(jobId: string, workspaceId: string, wake = false, functionId = GENERATE_FUNCTION_ID): QueueMessage {
  return { jobId, functionId, data: { jobId, workspaceId }, ...(wake ? { wake } : {}) };
}

/** How every queue message is sent: retried if a handler throws; a crashed runner's
 *  message expires, and the engine's start-up resume covers it sooner. */
export const SEND_OPTIONS = { retryLimit: 3, retryDelay: 10, expireInSeconds: 4 * 3600 } as const;

export async function sendGenerate(boss: PgBoss, message: QueueMessage, options: { id?: string } = {}) {
  await boss.send(GENERATE_QUEUE, message, { ...SEND_OPTIONS, ...options });
}

/**
 * Hands an event to a job's step waiting for it (built-in engine). Returns the message that
 * resumes the run, or null when no step of that job waits for this event.
 */
export async function deliverWaitEvent(db: Db, event: { name: string; data: { jobId: string } & Record<string, unknown> }) {
  return db.$transaction(async (tx) => {
    const waiting = await tx.jobStep.findFirst({ where: { jobId: event.data.jobId, status: "waiting", waitEvent: event.name } });
    if (!waiting) return null;
    const resume = (waiting.output as { resume?: QueueMessage } | null)?.resume ?? null;
    const claimed = await tx.jobStep.updateMany({
      where: { id: waiting.id, status: "waiting" },
      data: {
        status: "succeeded",
        output: { name: event.name, data: event.data } as Prisma.InputJsonValue,
        finishedAt: new Date(),
        durationMs: Date.now() - waiting.startedAt.getTime(),
      },
    });
    return claimed.count === 1 && resume ? { ...resume, wake: true } : null;
  });
}
