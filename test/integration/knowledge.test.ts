// Knowledge for scripts on the real database: documents are read, split and indexed (with
// embeddings from an OpenAI-compatible test server when configured, keywords otherwise);
// search returns the passage that holds the answer; the script step hands the passages to
// the writer and keeps them on the script; other workspaces never see them. A PDF that
// breaks a bound, or whose upload is cancelled, stores nothing. Search works in the brief's
// language: Spanish and Chinese passages are found by Spanish and Chinese briefs.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { startFakeOpenAi, type FakeProvider } from "../helpers/fake-providers.ts";
import { makePdf, makePdfPages } from "../helpers/pdf.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";

setTestEnv({ PROVIDER_PRIVATE_HOSTS: "127.0.0.1:*", PROVIDER_TIMEOUT_SEC: "5" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { addDocument, getDocumentFileOrThrow, listDocuments, removeDocument, searchKnowledge, DocumentError } = await import(
  "../../server/knowledge/service.ts"
);
const { getStore } = await import("../../server/storage/store.ts");
const { mediaResponse } = await import("../../server/videos/media.ts");
const { KNOWLEDGE_LIMITS, runningPdfReaders } = await import("../../server/knowledge/extract.ts");
const { saveProviderSetting } = await import("../../server/providers/settings.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { runScriptStep } = await import("../../server/pipeline/index.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { scriptSchema } = await import("../../server/pipeline/script/types.ts");

const db = getDb();
let openai: FakeProvider;
const MOON = `# Apollo 11

Apollo 11 was the first crewed mission to land on the Moon. The lunar module Eagle landed on July 20, 1969, in the Sea of Tranquility.

Neil Armstrong stepped onto the surface first, followed by Buzz Aldrin. Michael Collins stayed in orbit in the command module Columbia.

## Return

The crew splashed down in the Pacific Ocean on July 24, 1969, and spent three weeks in quarantine.`;
const BEES =
  "Honeybees dance to tell their sisters where flowers are. A colony has one queen, thousands of workers and a few hundred drones. Bees fan their wings to dry nectar into honey.";
const VOLCANO = ["Mount Vesuvius erupted in the year 79 and buried Pompeii under ash.", "Volcanic ash makes soil very fertile for farming."];

const ABEJAS =
  "Las abejas bailan para decir a sus hermanas dónde están las flores. Una colonia tiene una reina, miles de obreras y unos cientos de zánganos. Las abejas abanican con sus alas el néctar hasta convertirlo en miel.";
const VOLCANES = "El Vesubio entró en erupción en el año 79 y enterró Pompeya bajo la ceniza. La ceniza volcánica hace muy fértil el suelo.";
const MIFENG = "蜜蜂用舞蹈告诉同伴花在哪里。一个蜂群有一只蜂王、成千上万只工蜂和几百只雄蜂。蜜蜂扇动翅膀，把花蜜变成蜂蜜。";
const YUEQIU = "阿波罗十一号是第一次载人登月任务。登月舱鹰号于一九六九年七月二十日在静海着陆。";

const brief = (topic: string, extra: Record<string, unknown> = {}) =>
  briefSchema.parse({
    topic,
    audience: "students",
    tone: "informative",
    targetLengthSec: 30,
    aspectRatio: "16:9",
    voice: "en-us-male",
    visualStyle: "modern",
    music: "none",
    ...extra,
  });

async function seedDocuments(workspaceId: string, userId: string) {
  await addDocument({ db, workspaceId, userId }, { name: "moon.md", bytes: Buffer.from(MOON) });
  await addDocument({ db, workspaceId, userId }, { name: "bees.txt", bytes: Buffer.from(BEES) });
  await addDocument({ db, workspaceId, userId }, { name: "volcano.pdf", bytes: makePdf(VOLCANO) });
}

before(async () => {
  openai = await startFakeOpenAi();
});
after(async () => {
  await openai.close();
  await db.$disconnect();
  await database.drop();
});

describe("knowledge for scripts", () => {
  test("keyword ranking finds the passage that holds the answer; nothing leaks to another workspace", async () => {
    const a = await createOwner(db, "kw-a");
    const b = await createOwner(db, "kw-b");
    await seedDocuments(a.workspaceId, a.userId);
    const docs = await listDocuments({ db, workspaceId: a.workspaceId });
    assert.deepEqual(docs.map((d) => [d.name, d.mimeType, d.embeddingProvider]).sort(), [
      ["bees.txt", "text/plain", null],
      ["moon.md", "text/markdown", null],
      ["volcano.pdf", "application/pdf", null],
    ]);
    const [first] = await searchKnowledge({ db, workspaceId: a.workspaceId }, "When did Apollo 11 land on the Moon?");
    assert.equal(first!.document, "moon.md");
    assert.match(first!.text, /landed on July 20, 1969/);
    assert.equal(first!.method, "keyword");
    const [pdfHit] = await searchKnowledge({ db, workspaceId: a.workspaceId }, "What buried Pompeii?");
    assert.equal(pdfHit!.document, "volcano.pdf");

    assert.deepEqual(await searchKnowledge({ db, workspaceId: b.workspaceId }, "Apollo 11 Moon landing"), []);
    await assert.rejects(removeDocument({ db, workspaceId: b.workspaceId }, docs[0]!.id), /document not found/);
    await assert.rejects(
      addDocument({ db, workspaceId: a.workspaceId, userId: a.userId }, { name: "copy.md", bytes: Buffer.from(MOON) }),
      (e: Error) => e instanceof DocumentError && /already there \(as "moon.md"\)/.test(e.message),
    );
    // The file as uploaded is kept in the store, and downloads from it; only in its own workspace.
    const bees = docs.find((d) => d.name === "bees.txt")!;
    const file = await getDocumentFileOrThrow({ db, workspaceId: a.workspaceId }, bees.id);
    assert.deepEqual((await (await getStore()).getBuffer(file.storageKey)).toString("utf8"), BEES);
    const download = await mediaResponse(file, new Request("http://aura.test/k"), { download: file.name });
    assert.equal(await download.text(), BEES);
    assert.equal(download.headers.get("content-disposition"), 'attachment; filename="bees.txt"');
    await assert.rejects(getDocumentFileOrThrow({ db, workspaceId: b.workspaceId }, bees.id), /document not found/);
    await removeDocument({ db, workspaceId: a.workspaceId }, bees.id);
    assert.equal(await db.knowledgeChunk.count({ where: { workspaceId: a.workspaceId, document: { name: "bees.txt" } } }), 0);
    assert.equal(await (await getStore()).head(file.storageKey), null, "removing the document removes its file");
  });

  test("with an embedding provider, passages are embedded and ranked by keywords and meaning", async () => {
    const ws = await createOwner(db, "kw-embed");
    await saveProviderSetting(
      { db, workspaceId: ws.workspaceId },
      { capability: "knowledge", provider: "openai", baseUrl: `${openai.url}/v1`, apiKey: "sk-test-good-key" },
    );
    const before = openai.hitsOn("/v1/embeddings").length;
    await seedDocuments(ws.workspaceId, ws.userId);
    assert.equal(openai.hitsOn("/v1/embeddings").length - before, 3, "one embedding request per document");
    const docs = await listDocuments({ db, workspaceId: ws.workspaceId });
    assert.ok(docs.every((d) => d.embeddingProvider === "openai" && d.embeddingModel === "text-embedding-3-small"));
    const chunk = await db.knowledgeChunk.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
    assert.equal(chunk.embedding.length, 128);
    const [first] = await searchKnowledge({ db, workspaceId: ws.workspaceId }, "Apollo 11 landing date on the Moon");
    assert.equal(first!.method, "hybrid");
    assert.match(first!.text, /July 20, 1969/);
  });

  test("the script step gives the passages to the writer and keeps them on the script", async () => {
    const ws = await createOwner(db, "kw-script");
    await saveProviderSetting(
      { db, workspaceId: ws.workspaceId },
      { capability: "script", provider: "openai", baseUrl: `${openai.url}/v1`, apiKey: "sk-test-good-key" },
    );
    await seedDocuments(ws.workspaceId, ws.userId);
    const { job, video } = await createVideo({ db, workspaceId: ws.workspaceId, userId: ws.userId }, brief("The Apollo 11 Moon landing"));
    const out = await runScriptStep(job.id);
    assert.equal(out.provider, "openai");
    const request = JSON.parse(openai.hitsOn("/v1/chat/completions").at(-1)!.body) as { messages: { role: string; content: string }[] };
    const user = request.messages.find((m) => m.role === "user")!.content;
    assert.match(user, /Reference passages from the workspace's documents/);
    // The document's Markdown heading reaches the writer as a plain sentence, without its "#".
    assert.match(user, /\[1\] \(moon\.md\) Apollo 11\.\s+Apollo 11 was the first crewed mission/);
    assert.doesNotMatch(user, /#/);
    assert.doesNotMatch(user, /bees\.txt|volcano\.pdf/, "unrelated passages stay out");
    const script = scriptSchema.parse((await db.video.findUniqueOrThrow({ where: { id: video.id } })).script);
    assert.equal(script.sources?.[0]?.document, "moon.md");
    assert.match(script.sources![0]!.excerpt, /July 20, 1969/);

    const { job: without, video: plain } = await createVideo(
      { db, workspaceId: ws.workspaceId, userId: ws.userId },
      brief("The Apollo 11 Moon landing", { useKnowledge: false }),
    );
    await runScriptStep(without.id);
    assert.equal(scriptSchema.parse((await db.video.findUniqueOrThrow({ where: { id: plain.id } })).script).sources, undefined);
    assert.doesNotMatch(JSON.parse(openai.hitsOn("/v1/chat/completions").at(-1)!.body).messages[1].content, /Reference passages/);
  });

  test("the offline writer turns the passages into points of its own", async () => {
    const ws = await createOwner(db, "kw-offline");
    await seedDocuments(ws.workspaceId, ws.userId);
    const { job, video } = await createVideo(
      { db, workspaceId: ws.workspaceId, userId: ws.userId },
      brief("The Apollo 11 Moon landing", { targetLengthSec: 45 }),
    );
    await runScriptStep(job.id);
    const script = scriptSchema.parse((await db.video.findUniqueOrThrow({ where: { id: video.id } })).script);
    assert.equal(script.writer, "offline");
    assert.match(script.scenes.map((s) => s.narration).join(" "), /Apollo 11 was the first crewed mission to land on the Moon|landed on July 20, 1969/);
  });

  test("search in the brief's language finds Spanish and Chinese passages", async () => {
    const ws = await createOwner(db, "kw-lang");
    const ctx = { db, workspaceId: ws.workspaceId, userId: ws.userId };
    for (const [name, text] of [
      ["abejas.txt", ABEJAS],
      ["volcanes.txt", VOLCANES],
      ["蜜蜂.txt", MIFENG],
      ["月球.txt", YUEQIU],
      ["bees.txt", BEES],
    ])
      await addDocument(ctx, { name: name!, bytes: Buffer.from(text!) });
    const search = (query: string, language?: string) => searchKnowledge({ db, workspaceId: ws.workspaceId }, query, { language });
    assert.equal((await search("¿Cómo hacen miel las abejas?", "es"))[0]?.document, "abejas.txt");
    assert.equal((await search("¿Qué enterró Pompeya?", "es"))[0]?.document, "volcanes.txt");
    // Only stop words: nothing to search for.
    assert.deepEqual(await search("de la el y en", "es"), []);
    // Chinese has no spaces: without the segmenter the whole query would be one word that no passage holds.
    assert.equal((await search("蜜蜂怎样酿造蜂蜜", "zh"))[0]?.document, "蜜蜂.txt");
    const moon = await search("阿波罗登月", "zh");
    assert.equal(moon[0]?.document, "月球.txt");
    assert.ok(!moon.some((p) => p.document === "蜜蜂.txt"), "the bee passage shares no word with the query");
    // Without a language (the knowledge page's search box), a query in Chinese script is read as Chinese.
    assert.equal((await search("雄蜂和工蜂"))[0]?.document, "蜜蜂.txt");
    // English search as before.
    assert.equal((await search("How do bees make honey?"))[0]?.document, "bees.txt");

    // The script step searches in the brief's language, and the offline writer says the passages' sentences.
    const { job, video } = await createVideo(
      ctx,
      brief("蜜蜂怎样酿造蜂蜜。蜜蜂整天从花朵里采集花蜜。", { language: "zh", voice: "zh-female", targetLengthSec: 30 }),
    );
    const out = await runScriptStep(job.id);
    assert.equal((out as { sources?: number }).sources, 1);
    const script = scriptSchema.parse((await db.video.findUniqueOrThrow({ where: { id: video.id } })).script);
    assert.equal(script.sources?.[0]?.document, "蜜蜂.txt");
    assert.match(script.scenes.map((s) => s.narration).join(""), /蜜蜂扇动翅膀，把花蜜变成蜂蜜。/);
  });

  test("a PDF over a bound or whose upload is cancelled is refused by name and nothing is stored", async () => {
    const ws = await createOwner(db, "kw-bounds");
    const ctx = { db, workspaceId: ws.workspaceId, userId: ws.userId };
    const pages = (count: number) => makePdfPages(Array.from({ length: count }, (_, i) => [`Page ${i + 1} of a very long report.`]));
    await assert.rejects(
      addDocument(ctx, { name: "bomb.pdf", bytes: pages(3000) }),
      (e: Error) => e instanceof DocumentError && e.message === `bomb.pdf: the PDF has 3000 pages, more than the ${KNOWLEDGE_LIMITS.maxPdfPages} allowed`,
    );

    const { maxPdfPages } = KNOWLEDGE_LIMITS;
    KNOWLEDGE_LIMITS.maxPdfPages = 10_000;
    try {
      // The route passes request.signal, which aborts when the client goes away.
      const client = new AbortController();
      const adding = addDocument(ctx, { name: "cancelled.pdf", bytes: pages(5000) }, client.signal);
      await new Promise((resolve) => setTimeout(resolve, 300));
      client.abort();
      await assert.rejects(adding, { name: "AbortError" });
      assert.equal(runningPdfReaders(), 0, "the reader has ended");
    } finally {
      KNOWLEDGE_LIMITS.maxPdfPages = maxPdfPages;
    }
    assert.equal(await db.knowledgeDocument.count({ where: { workspaceId: ws.workspaceId } }), 0);
    assert.equal(await db.knowledgeChunk.count({ where: { workspaceId: ws.workspaceId } }), 0);
  });
});
