// The job's progress stream: SSE frames carry the event ids; resuming from lastEventId gives
// exactly the events after it (none lost, none repeated); a reload mid-job picks up live.
import { expect, test, type APIRequestContext } from "@playwright/test";
import superjson from "superjson";
import { signUp, submitBrief, uniqueEmail } from "./helpers";

async function readStream(request: APIRequestContext, jobId: string, lastEventId?: string) {
  const input = superjson.serialize(lastEventId ? { jobId, lastEventId } : { jobId });
  const res = await request.get(`/api/trpc/jobs.events?input=${encodeURIComponent(JSON.stringify(input))}`, { timeout: 30_000 });
  expect(res.headers()["content-type"]).toContain("text/event-stream");
  const frames = (await res.text()).split("\n\n");
  const events: { id: string; type: string }[] = [];
  for (const frame of frames) {
    const id = /^id: ?(.*)$/m.exec(frame)?.[1];
    const data = /^data: ?(.*)$/m.exec(frame)?.[1];
    if (!id || !data) continue;
    const message = superjson.deserialize(JSON.parse(data)) as { id: string; type: string };
    expect(message.id).toBe(id);
    events.push({ id, type: message.type });
  }
  return events;
}

test("progress resumes after a reload and from lastEventId with nothing lost or repeated", async ({ page }) => {
  await signUp(page, uniqueEmail("stream"));
  const videoId = await submitBrief(page, { topic: "How rainbows form. Sunlight bends inside raindrops.", audience: "children", length: 15 });

  // Reload while the job runs: the page rebuilds its state from the stream and goes on live.
  await expect(page.getByTestId("stage-script")).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  await page.reload();
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  const narration = await page.getByTestId("stage-narration").textContent();
  const [done, expected] = /(\d+)\/(\d+)/.exec(narration!)!.slice(1).map(Number);
  expect(done).toBe(expected);

  const get = await page.request.get(`/api/trpc/videos.get?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ videoId })))}`);
  const jobId = superjson.deserialize<{ job: { id: string } }>((await get.json()).result.data).job.id;

  const all = await readStream(page.request, jobId);
  expect(all[0]!.type).toBe("job.queued");
  expect(all.at(-1)!.type).toBe("job.succeeded");
  const ids = all.map((e) => BigInt(e.id));
  for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);

  const middle = all[Math.floor(all.length / 2)]!;
  const resumed = await readStream(page.request, jobId, middle.id);
  expect(resumed.map((e) => e.id)).toEqual(all.filter((e) => BigInt(e.id) > BigInt(middle.id)).map((e) => e.id));
});
