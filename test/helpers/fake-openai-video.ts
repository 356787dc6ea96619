// A local server that speaks OpenAI's video API as the `openai` SDK calls it: POST /v1/videos
// (multipart form), GET /v1/videos/{id}, GET /v1/videos/{id}/content, DELETE /v1/videos/{id}
// and GET /v1/videos (list). Each generation follows a plan: done (or failed, or refused by the
// moderation) some time after its create, or never done, or refused at create; its download can be cut midway or sent as the
// wrong type. A test queues answers for the next creates (429 with Retry-After, 500, a
// moderation refusal). The MP4 it serves is made with FFmpeg when the server starts.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import os from "node:os";
import path from "node:path";

export type VideoPlan = {
  /** Milliseconds after its create that it is completed, or failed with `fail` (Infinity: never). */
  readyAfterMs: number;
  /** …and not before it has been polled this many times (a test of polling that does not
   *  depend on how long the stages before the first poll take). */
  readyAfterPolls?: number;
  /** Refused at create, as the moderation refuses a prompt (HTTP 400). */
  refuse?: boolean;
  /** Fails then instead, with this error. */
  fail?: { code: string; message: string };
  /** How its content is served: whole, cut midway the first time, or as an HTML page. */
  download?: "ok" | "cut-once" | "html";
};

export type FakeVideo = {
  id: string;
  model: string;
  prompt: string;
  seconds: string;
  size: string;
  plan: VideoPlan;
  polled: number;
  downloads: number;
  deleted: boolean;
  createdAt: number;
};

type Answer = { status: number; headers?: Record<string, string>; body: unknown };

export type FakeOpenAiVideo = {
  url: string;
  key: string;
  videos: FakeVideo[];
  /** Every request, as "METHOD /path". */
  requests: string[];
  /** How generations created from now on behave (by default: done after a second). */
  setPlan(plan: (prompt: string) => VideoPlan): void;
  /** Answers for the next creates, in order. */
  queueCreate(...answers: Answer[]): void;
  close(): Promise<void>;
};

/** A real H.264 MP4 (8 s, 320x180, 10 fps) to serve as every generated clip. */
function makeMp4() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "aura-fake-sora-"));
  const file = path.join(dir, "clip.mp4");
  execFileSync("ffmpeg", [
    ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=10:d=8"],
    ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", file],
  ]);
  const bytes = readFileSync(file);
  rmSync(dir, { recursive: true, force: true });
  return bytes;
}

const json = (res: http.ServerResponse, a: Answer) => {
  res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
  res.end(JSON.stringify(a.body));
};
const apiError = (status: number, message: string, code: string | null = null, type = "invalid_request_error"): Answer => ({
  status,
  body: { error: { message, type, param: null, code } },
});

function videoObject(v: FakeVideo) {
  const elapsed = Date.now() - v.createdAt;
  const over = elapsed >= v.plan.readyAfterMs && v.polled >= (v.plan.readyAfterPolls ?? 0);
  const done = over && !v.plan.fail;
  const failed = over && v.plan.fail;
  return {
    id: v.id,
    object: "video",
    model: v.model,
    status: failed ? "failed" : done ? "completed" : v.polled === 0 ? "queued" : "in_progress",
    progress: done ? 100 : Math.min(99, Math.floor((elapsed / v.plan.readyAfterMs) * 100)),
    created_at: Math.floor(v.createdAt / 1000),
    completed_at: done ? Math.floor(Date.now() / 1000) : null,
    expires_at: null,
    error: failed ? v.plan.fail : null,
    prompt: v.prompt,
    remixed_from_video_id: null,
    seconds: v.seconds,
    size: v.size,
  };
}

export async function startFakeOpenAiVideo(key = "sk-test-video-key"): Promise<FakeOpenAiVideo> {
  const mp4 = makeMp4();
  const videos: FakeVideo[] = [];
  const requests: string[] = [];
  const createQueue: Answer[] = [];
  let plan: (prompt: string) => VideoPlan = () => ({ readyAfterMs: 1000 });
  const sockets = new Set<Socket>();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    requests.push(`${req.method} ${url.pathname}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.headers.authorization !== `Bearer ${key}`) return json(res, apiError(401, "Incorrect API key provided.", "invalid_api_key"));
    const match = /^\/v1\/videos(?:\/([\w-]+))?(\/content)?$/.exec(url.pathname);
    if (!match) return json(res, apiError(404, `Invalid URL (${req.method} ${url.pathname})`));
    const [, id, content] = match;
    const video = id ? videos.find((v) => v.id === id && !v.deleted) : undefined;
    if (id && !video) return json(res, apiError(404, `Video with id '${id}' not found.`, "video_not_found"));

    if (req.method === "POST" && !id) {
      const queued = createQueue.shift();
      if (queued) return json(res, queued);
      // The SDK sends the create as multipart/form-data.
      const form = await new Request("http://fake/", {
        method: "POST",
        headers: { "content-type": req.headers["content-type"] ?? "" },
        body: Buffer.concat(chunks),
      })
        .formData()
        .catch(() => null);
      const prompt = form?.get("prompt");
      if (typeof prompt !== "string" || !prompt) return json(res, apiError(400, "Missing required parameter: 'prompt'.", "missing_required_parameter"));
      const planned = plan(prompt);
      if (planned.refuse) return json(res, apiError(400, "Your request was blocked by our moderation system.", "moderation_blocked"));
      const created: FakeVideo = {
        id: `video_${String(videos.length + 1).padStart(4, "0")}${Math.random().toString(16).slice(2, 8)}`,
        model: String(form!.get("model") ?? "sora-2"),
        prompt,
        seconds: String(form!.get("seconds") ?? "4"),
        size: String(form!.get("size") ?? "720x1280"),
        plan: planned,
        polled: 0,
        downloads: 0,
        deleted: false,
        createdAt: Date.now(),
      };
      videos.push(created);
      return json(res, { status: 200, body: videoObject(created) });
    }
    if (req.method === "GET" && !id)
      return json(res, { status: 200, body: { object: "list", data: videos.slice(-1).map(videoObject), first_id: null, last_id: null, has_more: false } });
    if (req.method === "DELETE" && video && !content) {
      video.deleted = true;
      return json(res, { status: 200, body: { id: video.id, object: "video.deleted", deleted: true } });
    }
    if (req.method === "GET" && video && !content) {
      video.polled++;
      return json(res, { status: 200, body: videoObject(video) });
    }
    if (req.method === "GET" && video && content) {
      if (videoObject(video).status !== "completed") return json(res, apiError(400, "Video is not ready yet.", "video_not_ready"));
      video.downloads++;
      const how = video.plan.download ?? "ok";
      if (how === "html") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end("<html><body>Service temporarily unavailable</body></html>");
      }
      res.writeHead(200, { "content-type": "video/mp4", "content-length": mp4.length });
      if (how === "cut-once" && video.downloads === 1) return res.write(mp4.subarray(0, mp4.length >> 1), () => res.socket?.destroy());
      return res.end(mp4);
    }
    return json(res, apiError(405, `Method ${req.method} not allowed here`));
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    key,
    videos,
    requests,
    setPlan(p) {
      plan = p;
    },
    queueCreate(...answers) {
      createQueue.push(...answers);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
