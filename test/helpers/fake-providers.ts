// Local HTTP servers that speak the real wire formats of the paid and remote providers:
// OpenAI (chat, speech, images, models), Ollama, ElevenLabs, Stable Diffusion WebUI, Pexels
// (photos and videos) and Pixabay (videos). Each records the requests it got; a test queues failures (a status with headers
// and body, a hang, a malformed body) that the next requests to a route receive. The chat
// routes answer in the language the prompt asks for (canned scripts in several languages), or
// in a language a test names, to check the writers' language check and its repair.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { renderCardPng } from "../../server/pipeline/visuals/card.ts";
import { pcmToWav } from "../../server/providers/tts/wav.ts";

export type Hit = { method: string; path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: string };
export type Scripted =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { hang: true }
  | { raw: string; contentType?: string }
  /** Answers normally but with this chat content. */
  | { content: string }
  /** Answers normally but with a script in this language (a code of SCRIPT_SENTENCES). */
  | { language: string };

type Reply = { status: number; headers?: Record<string, string>; body: unknown | Buffer };
type Handler = (hit: Hit, url: URL) => Reply | Promise<Reply>;

export type FakeProvider = {
  url: string;
  hits: Hit[];
  /** Queues answers for the next requests whose path starts with `route`. */
  queue(route: string, ...answers: Scripted[]): void;
  hitsOn(route: string): Hit[];
  close(): Promise<void>;
};

/** A WAV of `seconds` of quiet tone: real audio a renderer can mix. */
export function toneWav(seconds: number, sampleRate = 24000) {
  const samples = Math.round(seconds * sampleRate);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(Math.round(Math.sin((i / sampleRate) * 2 * Math.PI * 220) * 4000), i * 2);
  return pcmToWav(pcm, sampleRate);
}

export function pngOf(width: number, height: number) {
  return renderCardPng({ title: "Fake provider picture", label: "test", index: 0, total: 1, style: "bold", width, height }).png;
}

/** A deterministic stand-in for an embedding: hashed word stems in 128 dimensions, so texts
 *  that share words are close, as real embeddings of related texts are. */
export function bagOfWords(text: string) {
  const v = new Array<number>(128).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (word.length < 3) continue;
    const stem = word.slice(0, 5);
    let h = 2166136261;
    for (const c of stem) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    v[(h >>> 0) % 128]! += 1;
  }
  return v;
}

const speechSeconds = (text: string) => Math.max(0.5, text.split(/\s+/).filter(Boolean).length / 2.75);

/** Sentences of the canned scripts per language: what a model writing in it would say. */
export const SCRIPT_SENTENCES: Record<string, { title: string; sentences: string[] }> = {
  en: {
    title: "How bees make honey",
    sentences: [
      "Bees collect nectar from flowers all day long.",
      "In the hive, the workers pass the nectar from mouth to mouth.",
      "They fan it with their wings until it turns thick.",
      "Then they store the honey in wax cells and seal them.",
      "A single hive can make many kilos of honey in a year.",
      "The honey feeds the whole colony through the winter.",
    ],
  },
  es: {
    title: "Cómo hacen miel las abejas",
    sentences: [
      "Las abejas recogen el néctar de las flores durante todo el día.",
      "En la colmena, las obreras pasan el néctar de boca en boca.",
      "Con sus alas secan el néctar hasta que se vuelve espeso.",
      "Después guardan la miel en celdas de cera y las cierran.",
      "Una sola colmena puede producir muchos kilos de miel al año.",
      "La miel alimenta a toda la colonia durante el invierno.",
    ],
  },
  fr: {
    title: "Comment les abeilles font le miel",
    sentences: [
      "Les abeilles récoltent le nectar des fleurs pendant toute la journée.",
      "Dans la ruche, les ouvrières se passent le nectar de bouche en bouche.",
      "Elles sèchent le nectar avec leurs ailes jusqu'à ce qu'il devienne épais.",
      "Ensuite, elles rangent le miel dans des alvéoles de cire.",
      "Une seule ruche peut produire plusieurs kilos de miel chaque année.",
      "Le miel nourrit toute la colonie pendant l'hiver.",
    ],
  },
  ru: {
    title: "Как пчёлы делают мёд",
    sentences: [
      "Пчёлы весь день собирают нектар с цветов.",
      "В улье рабочие пчёлы передают нектар друг другу.",
      "Крыльями они сушат нектар, пока он не станет густым.",
      "Потом они складывают мёд в восковые соты и запечатывают их.",
      "Один улей может дать много килограммов мёда за год.",
      "Мёд кормит всю семью пчёл зимой.",
    ],
  },
  ar: {
    title: "كيف يصنع النحل العسل",
    sentences: [
      "يجمع النحل الرحيق من الأزهار طوال اليوم.",
      "في الخلية تنقل العاملات الرحيق من نحلة إلى أخرى.",
      "يجفف النحل الرحيق بأجنحته حتى يصبح كثيفا.",
      "ثم يخزن العسل في خلايا من الشمع ويغلقها.",
      "يمكن لخلية واحدة أن تنتج كيلوغرامات كثيرة من العسل كل عام.",
      "يطعم العسل المستعمرة كلها في فصل الشتاء.",
    ],
  },
  hi: {
    title: "मधुमक्खियाँ शहद कैसे बनाती हैं",
    sentences: [
      "मधुमक्खियाँ पूरे दिन फूलों से रस इकट्ठा करती हैं।",
      "छत्ते में श्रमिक मधुमक्खियाँ रस एक दूसरे को देती हैं।",
      "वे अपने पंखों से रस को सुखाती हैं जब तक वह गाढ़ा न हो जाए।",
      "फिर वे शहद को मोम के खानों में रखकर बंद कर देती हैं।",
      "एक छत्ता एक साल में कई किलो शहद बना सकता है।",
      "सर्दियों में शहद पूरी बस्ती का भोजन होता है।",
    ],
  },
  zh: {
    title: "蜜蜂怎样酿造蜂蜜",
    sentences: [
      "蜜蜂整天从花朵里采集花蜜。",
      "在蜂巢里，工蜂把花蜜一只传给另一只。",
      "它们用翅膀扇风，让花蜜变得浓稠。",
      "然后它们把蜂蜜存进蜡做的巢房并封好。",
      "一个蜂巢一年可以生产很多公斤蜂蜜。",
      "冬天，蜂蜜是整个蜂群的食物。",
    ],
  },
  ja: {
    title: "ミツバチはどうやって蜂蜜を作るのか",
    sentences: [
      "ミツバチは一日中、花から蜜を集めます。",
      "巣の中で、働きバチは蜜を口から口へと渡します。",
      "羽で風を送り、蜜が濃くなるまで乾かします。",
      "それから蜂蜜をろうの部屋にためて、ふたをします。",
      "一つの巣は一年にたくさんの蜂蜜を作ることができます。",
      "冬のあいだ、蜂蜜は群れ全体の食べ物になります。",
    ],
  },
};

/** A valid script answer for the scene count the prompt asks for. */
export function scriptAnswer(system: string, topic = "the topic") {
  const count = Number(/Exactly (\d+) scenes/.exec(system)?.[1] ?? 3);
  return JSON.stringify({
    title: `A model's video about ${topic}`.slice(0, 100),
    scenes: Array.from({ length: count }, (_, i) => ({
      title: `Model scene ${i + 1}`,
      narration: `This is scene ${i + 1} written by the model. It explains one clear idea about ${topic} in plain words.`,
      visualPrompt: `a photograph for scene ${i + 1} about ${topic}`,
      keywords: ["model", `scene${i + 1}`],
    })),
  });
}

/** A valid script answer in a language of SCRIPT_SENTENCES (another: `scriptAnswer`): each
 *  scene says two of its sentences, its title is the first one's opening words, and its
 *  visual queries are in English, as the prompt asks. */
export function scriptAnswerIn(system: string, language: string, topic = "the topic") {
  const canned = SCRIPT_SENTENCES[language];
  if (!canned) return scriptAnswer(system, topic);
  const count = Number(/Exactly (\d+) scenes/.exec(system)?.[1] ?? 3);
  const n = canned.sentences.length;
  return JSON.stringify({
    title: canned.title,
    scenes: Array.from({ length: count }, (_, i) => {
      const first = canned.sentences[i % n]!;
      return {
        title: first.slice(0, 24),
        narration: `${first} ${canned.sentences[(i + 1 + Math.floor(i / n)) % n]!}`,
        visualPrompt: `honey bees on a flower, close-up, scene ${i + 1}`,
        keywords: ["honey bees", "beehive"],
        shots: [{ query: "honey bees collecting nectar" }],
      };
    }),
  });
}

/** The language a script prompt asks for ("Language: Spanish (Español)"), as a code. */
function promptLanguage(user: string) {
  const name = /^Language: ([^(\n]+)/m.exec(user)?.[1]?.trim();
  const codes: Record<string, string> = { Spanish: "es", French: "fr", Russian: "ru", Arabic: "ar", Hindi: "hi", "Chinese (Simplified)": "zh", Japanese: "ja" };
  return (name && codes[name]) ?? "en";
}

async function start(handlers: Record<string, Handler>, authorize: (hit: Hit) => Reply | null, port = 0): Promise<FakeProvider> {
  const hits: Hit[] = [];
  const queues = new Map<string, Scripted[]>();
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const hit: Hit = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    hits.push(hit);
    const send = (reply: Reply) => {
      const isBuffer = Buffer.isBuffer(reply.body);
      res.writeHead(reply.status, { "content-type": isBuffer ? "application/octet-stream" : "application/json", ...reply.headers });
      res.end(isBuffer ? reply.body : JSON.stringify(reply.body));
    };
    const route = [...queues.keys()].filter((r) => url.pathname.startsWith(r)).sort((a, b) => b.length - a.length)[0];
    const scripted = route ? queues.get(route)!.shift() : undefined;
    if (scripted && "hang" in scripted) return; // never answers: the client's timeout must end it
    if (scripted && "raw" in scripted) {
      res.writeHead(200, { "content-type": scripted.contentType ?? "application/json" });
      return res.end(scripted.raw);
    }
    if (scripted && "status" in scripted) return send({ status: scripted.status, headers: scripted.headers, body: scripted.body ?? {} });
    const denied = authorize(hit);
    if (denied) return send(denied);
    const handler = Object.entries(handlers).find(([p]) => new RegExp(`^${p}$`).test(url.pathname))?.[1];
    if (!handler) return send({ status: 404, body: { error: { message: `no route ${url.pathname}` } } });
    const reply = await handler(hit, url);
    const content = scripted && "content" in scripted ? scripted.content : scripted && "language" in scripted ? chatScript(hit, scripted.language) : null;
    if (content !== null && !Buffer.isBuffer(reply.body)) {
      // Swap the chat text for the scripted one, in either wire format.
      const body = reply.body as { choices?: { message: { content: string } }[]; message?: { content: string } };
      if (body.choices) body.choices[0]!.message.content = content;
      if (body.message) body.message.content = content;
    }
    send(reply);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    hits,
    queue(route, ...answers) {
      queues.set(route, [...(queues.get(route) ?? []), ...answers]);
    },
    hitsOn: (route) => hits.filter((h) => h.path.startsWith(route)),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const json = (body: unknown, status = 200): Reply => ({ status, body });

/** The script a chat request gets: in `language` (a canned one, English too), else in the
 *  language its prompt asks for (English: `scriptAnswer`, about the prompt's topic). */
function chatScript(hit: Hit, language?: string) {
  const { messages } = JSON.parse(hit.body) as { messages: { role: string; content: string }[] };
  const user = messages.find((m) => m.role === "user")?.content ?? "";
  const topic = /Topic: (.*)/.exec(user)?.[1] ?? "the topic";
  const asked = language ?? promptLanguage(user);
  return language || asked !== "en" ? scriptAnswerIn(messages[0]!.content, asked, topic) : scriptAnswer(messages[0]!.content, topic);
}

/** OpenAI's API under /v1: Bearer key, chat completions, speech (WAV), images (b64_json), models.
 *  `language`: every script is written in it, whatever the prompt asks (a model that ignores
 *  the language); by default the prompt's language. */
export function startFakeOpenAi(options: { key?: string; port?: number; language?: string } = {}) {
  const key = options.key ?? "sk-test-good-key";
  return start(
    {
      "/v1/models": () =>
        json({ object: "list", data: ["gpt-4o-mini", "gpt-4o-mini-tts", "gpt-image-1"].map((id) => ({ id, object: "model", created: 0, owned_by: "fake" })) }),
      "/v1/chat/completions": (hit) => {
        const request = JSON.parse(hit.body) as { model: string };
        return json({
          id: "chatcmpl-fake",
          object: "chat.completion",
          created: 0,
          model: request.model,
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: chatScript(hit, options.language), refusal: null } }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        });
      },
      "/v1/audio/speech": (hit) => ({
        status: 200,
        headers: { "content-type": "audio/wav" },
        body: toneWav(speechSeconds((JSON.parse(hit.body) as { input: string }).input)),
      }),
      "/v1/embeddings": (hit) => {
        const request = JSON.parse(hit.body) as { input: string | string[]; model: string };
        const inputs = Array.isArray(request.input) ? request.input : [request.input];
        return json({
          object: "list",
          model: request.model,
          data: inputs.map((text, index) => ({ object: "embedding", index, embedding: bagOfWords(text) })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        });
      },
      "/v1/images/generations": (hit) => {
        const { size } = JSON.parse(hit.body) as { size: string };
        const [w, h] = size.split("x").map(Number) as [number, number];
        return json({ created: 0, data: [{ b64_json: pngOf(w, h).toString("base64") }] });
      },
    },
    (hit) =>
      hit.headers.authorization === `Bearer ${key}`
        ? null
        : json(
            {
              error: {
                message: "Incorrect API key provided. You can find your API key in your account settings.",
                type: "invalid_request_error",
                code: "invalid_api_key",
              },
            },
            401,
          ),
    options.port,
  );
}

/** Ollama's native API: /api/tags and /api/chat (non-streaming, format json). */
export function startFakeOllama(options: { models?: string[] } = {}) {
  const models = options.models ?? ["llama3.1:latest"];
  return start(
    {
      "/api/tags": () => json({ models: models.map((name) => ({ name, model: name, size: 1, digest: "x", details: {} })) }),
      "/api/chat": (hit) => {
        const request = JSON.parse(hit.body) as { model: string; messages: { role: string; content: string }[] };
        if (!models.some((m) => m === request.model || m === `${request.model}:latest`))
          return json({ error: `model "${request.model}" not found, try pulling it first` }, 404);
        return json({
          model: request.model,
          created_at: new Date().toISOString(),
          message: { role: "assistant", content: chatScript(hit) },
          done: true,
        });
      },
    },
    () => null,
  );
}

/** ElevenLabs: xi-api-key, text-to-speech with timestamps (PCM base64 + character alignment), voices. */
export function startFakeElevenLabs(options: { key?: string } = {}) {
  const key = options.key ?? "el-test-key";
  return start(
    {
      "/v1/voices/[^/]+": (_hit, url) => json({ voice_id: url.pathname.split("/").pop(), name: "Rachel" }),
      "/v1/text-to-speech/[^/]+/with-timestamps": (hit, url) => {
        const { text } = JSON.parse(hit.body) as { text: string };
        const rate = Number(url.searchParams.get("output_format")?.replace("pcm_", "") ?? 24000);
        const wav = toneWav(speechSeconds(text), rate);
        const chars = [...text];
        const per = speechSeconds(text) / chars.length;
        return json({
          audio_base64: wav.subarray(44).toString("base64"),
          alignment: {
            characters: chars,
            character_start_times_seconds: chars.map((_, i) => i * per),
            character_end_times_seconds: chars.map((_, i) => (i + 1) * per),
          },
        });
      },
    },
    (hit) => (hit.headers["xi-api-key"] === key ? null : json({ detail: { status: "invalid_api_key", message: "Invalid API key" } }, 401)),
  );
}

/** Stable Diffusion WebUI: /sdapi/v1/txt2img (base64 PNGs) and /sdapi/v1/sd-models. */
export function startFakeSdWebUi() {
  return start(
    {
      "/sdapi/v1/sd-models": () => json([{ title: "sd_xl_base_1.0.safetensors", model_name: "sd_xl_base_1.0" }]),
      "/sdapi/v1/txt2img": (hit) => {
        const { width, height } = JSON.parse(hit.body) as { width: number; height: number };
        return json({ images: [pngOf(width, height).toString("base64")], parameters: {}, info: "{}" });
      },
    },
    () => null,
  );
}

/** Pexels: Authorization key, /v1/search with photo URLs on this same server, and the photos. */
export async function startFakePexels(options: { key?: string } = {}) {
  const key = options.key ?? "pexels-test-key";
  let base = "";
  const fake = await start(
    {
      "/v1/search": (_hit, url) =>
        json({
          page: 1,
          per_page: 5,
          total_results: 1,
          photos: [
            {
              id: 42,
              width: 1880,
              height: 1253,
              url: "https://www.pexels.com/photo/42/",
              photographer: "Ada Lens",
              alt: url.searchParams.get("query"),
              src: { original: `${base}/photos/42.png`, large2x: `${base}/photos/42.png`, large: `${base}/photos/42.png` },
            },
          ],
        }),
      "/photos/.*": () => ({ status: 200, headers: { "content-type": "image/png" }, body: pngOf(1280, 720) }),
    },
    (hit) => (hit.path.startsWith("/photos/") || hit.headers.authorization === key ? null : json({ error: "Unauthorized" }, 401)),
  );
  base = fake.url;
  return fake;
}

/** A stock clip as the tests describe it; each fake writes it in its own API's shape. */
export type StockVideo = {
  id: number;
  /** Whole seconds, as both APIs give it. */
  duration: number;
  user: string;
  /** What the clip shows: Pexels' page slug, Pixabay's tags. */
  title: string;
  files: { link: string; width: number; height: number; size?: number }[];
};

const biggest = (files: StockVideo["files"]) => files.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));

function orientationOf(width: number, height: number) {
  return width > height ? "landscape" : width < height ? "portrait" : "square";
}

/** Pexels' video search (GET /videos/search, key in Authorization): filters by orientation as
 *  Pexels does, and lists each clip's files with an HLS entry that has no size, as Pexels does. */
export async function startFakePexelsVideos(options: { videos: () => StockVideo[]; key?: string }) {
  const key = options.key ?? "pexels-test-key";
  return start(
    {
      "/videos/search": (_hit, url) => {
        const orientation = url.searchParams.get("orientation");
        const perPage = Number(url.searchParams.get("per_page") ?? 15);
        const found = options.videos().filter((v) => !orientation || orientationOf(biggest(v.files).width, biggest(v.files).height) === orientation);
        return json({
          page: 1,
          per_page: perPage,
          total_results: found.length,
          url: `https://www.pexels.com/search/videos/${encodeURIComponent(url.searchParams.get("query") ?? "")}/`,
          videos: found.slice(0, perPage).map((v) => {
            const slug = v.title.toLowerCase().replace(/\s+/g, "-");
            return {
              id: v.id,
              width: biggest(v.files).width,
              height: biggest(v.files).height,
              duration: v.duration,
              full_res: null,
              tags: [],
              url: `https://www.pexels.com/video/${slug}-${v.id}/`,
              image: `https://images.pexels.com/videos/${v.id}/pictures/preview-0.jpg`,
              avg_color: null,
              user: { id: 1000 + v.id, name: v.user, url: `https://www.pexels.com/@${v.user.toLowerCase().replace(/\s+/g, "-")}` },
              video_files: [
                {
                  id: v.id * 10,
                  quality: "hls",
                  file_type: "hls",
                  width: null,
                  height: null,
                  fps: null,
                  link: `https://player.vimeo.com/external/${v.id}.m3u8`,
                },
                ...v.files.map((f, i) => ({
                  id: v.id * 10 + i + 1,
                  quality: f.height >= 720 ? "hd" : "sd",
                  file_type: "video/mp4",
                  width: f.width,
                  height: f.height,
                  fps: 25,
                  link: f.link,
                  ...(f.size ? { size: f.size } : {}),
                })),
              ],
              video_pictures: [{ id: v.id * 100, nr: 0, picture: `https://images.pexels.com/videos/${v.id}/pictures/preview-0.jpg` }],
            };
          }),
        });
      },
    },
    (hit) => (hit.headers.authorization === key ? null : json({ error: "Unauthorized" }, 401)),
  );
}

const pixabayError = (status: number, message: string): Reply => ({
  status,
  headers: { "content-type": "text/html; charset=utf-8" },
  body: Buffer.from(`[ERROR ${status}] ${message}`),
});

/** Pixabay's video search (GET /api/videos/?key=…): its parameter checks and one-line text
 *  errors, no orientation filter, and each hit's files as large/medium/small/tiny, with an
 *  empty entry for a size it does not have. */
export async function startFakePixabay(options: { videos: () => StockVideo[]; key?: string }) {
  const key = options.key ?? "pixabay-test-key";
  return start(
    {
      "/api/videos/": (_hit, url) => {
        const q = url.searchParams;
        if (q.get("key") !== key) return pixabayError(400, "Invalid or missing API key ([key]).");
        if ((q.get("q") ?? "").length > 100) return pixabayError(400, '"q" exceeds the maximum length of 100 characters.');
        const perPage = Number(q.get("per_page") ?? 20);
        if (!(perPage >= 3 && perPage <= 200)) return pixabayError(400, '"per_page" is out of valid range.');
        const found = options.videos();
        return json({
          total: found.length,
          totalHits: found.length,
          hits: found.slice(0, perPage).map((v) => {
            const files = [...v.files].sort((a, b) => b.width * b.height - a.width * a.height);
            const sizes = Object.fromEntries(
              (["large", "medium", "small", "tiny"] as const).map((name, i) => {
                const f = files[i];
                return [
                  name,
                  f
                    ? { url: f.link, width: f.width, height: f.height, size: f.size ?? 1000, thumbnail: `https://cdn.pixabay.com/video/${v.id}-thumb.jpg` }
                    : { url: "", width: 0, height: 0, size: 0, thumbnail: "" },
                ];
              }),
            );
            return {
              id: v.id,
              pageURL: `https://pixabay.com/videos/${v.title.toLowerCase().replace(/\s+/g, "-")}-${v.id}/`,
              type: "film",
              tags: v.title.split(/\s+/).join(", "),
              duration: v.duration,
              videos: sizes,
              views: 10,
              downloads: 5,
              likes: 1,
              comments: 0,
              user_id: 2000 + v.id,
              user: v.user,
              userImageURL: "",
            };
          }),
        });
      },
    },
    () => null,
  );
}
