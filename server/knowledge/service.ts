// A workspace's reference documents: added (text extracted, split into passages, embedded
// when a provider is configured), listed, removed, and searched. Search ranks passages by
// keywords (MiniSearch's BM25) and, when the passages have embeddings and the same provider
// answers for the query, by meaning too; the two rankings are fused by reciprocal rank.
// Keywords are read in the search's language: English as always; other languages are cut
// into words by Intl.Segmenter (Chinese, Japanese and Thai have no spaces), folded by their
// own case rules and lose their own stop words.
import { createHash } from "node:crypto";
import MiniSearch from "minisearch";
import type { Db } from "../db/client.ts";
import { NotFoundError } from "../lib/errors.ts";
import type { ServiceContext, WorkspaceContext } from "../lib/service-context.ts";
import { detectLanguage } from "../text/detect-language.ts";
import { foldCase, STOPWORDS, stopwordsFor, wordsOf } from "../text/keywords.ts";
import { callCapability } from "../providers/chain.ts";
import { getStore, putObject } from "../storage/store.ts";
import { chunkText } from "./chunk.ts";
import { cosine, embedWith } from "./embed.ts";
import { DocumentError, extractDocumentText } from "./extract.ts";

export { DocumentError };

export type Passage = { documentId: string; document: string; chunk: number; text: string; score: number; method: "keyword" | "hybrid" };

export async function addDocument({ db, workspaceId, userId }: ServiceContext, file: { name: string; bytes: Buffer }, signal?: AbortSignal) {
  const name =
    file.name
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this strips from the file name
      .replace(/[\u0000-\u001f]/g, "")
      .trim()
      .slice(0, 200) || "document";
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  const existing = await db.knowledgeDocument.findUnique({ where: { workspaceId_sha256: { workspaceId, sha256 } } });
  if (existing) throw new DocumentError(`${name}: this document is already there (as "${existing.name}")`);
  const { text, mimeType } = await extractDocumentText(name, file.bytes, signal);
  const chunks = chunkText(text);
  const embedded = await callCapability(db, workspaceId, "knowledge", (config, ctx) => embedWith(config, chunks, ctx), { signal });
  const vectors = embedded.value?.vectors;
  // The file as uploaded is kept in the store, for its owners to download again.
  const key = documentKey(workspaceId, sha256, mimeType);
  await putObject(key, file.bytes, mimeType);
  return db.knowledgeDocument
    .create({
      data: {
        workspaceId,
        createdById: userId,
        name,
        mimeType,
        bytes: file.bytes.length,
        sha256,
        chunkCount: chunks.length,
        embeddingProvider: embedded.value?.provider ?? null,
        embeddingModel: embedded.value?.model ?? null,
        chunks: { create: chunks.map((t, index) => ({ workspaceId, index, text: t, embedding: vectors?.[index] ?? [] })) },
      },
      select: { id: true, name: true, mimeType: true, bytes: true, chunkCount: true, embeddingProvider: true, embeddingModel: true, createdAt: true },
    })
    .catch(async (error: unknown) => {
      // The same file, added at the same moment: the other upload's row owns the kept file.
      if ((error as { code?: string }).code === "P2002") throw new DocumentError(`${name}: this document is already there`);
      await (await getStore()).delete(key).catch(() => {});
      throw error;
    });
}

const EXTENSIONS: Record<string, string> = { "application/pdf": ".pdf", "text/markdown": ".md", "text/plain": ".txt" };

/** Where a document's original file is kept: by its hash, so the key needs no lookup. */
export const documentKey = (workspaceId: string, sha256: string, mimeType: string) =>
  `workspaces/${workspaceId}/knowledge/${sha256}${EXTENSIONS[mimeType] ?? ""}`;

/** A document's original file, for download; another workspace's document is not found. */
export async function getDocumentFileOrThrow({ db, workspaceId }: WorkspaceContext, documentId: string) {
  const document = await db.knowledgeDocument.findFirst({ where: { id: documentId, workspaceId }, select: { name: true, mimeType: true, sha256: true } });
  if (!document) throw new NotFoundError("document");
  return { name: document.name, mimeType: document.mimeType, storageKey: documentKey(workspaceId, document.sha256, document.mimeType) };
}

export function listDocuments({ db, workspaceId }: WorkspaceContext) {
  return db.knowledgeDocument.findMany({
    where: { workspaceId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, mimeType: true, bytes: true, chunkCount: true, embeddingProvider: true, embeddingModel: true, createdAt: true },
  });
}

export async function removeDocument({ db, workspaceId }: WorkspaceContext, documentId: string) {
  const document = await db.knowledgeDocument.findFirst({ where: { id: documentId, workspaceId }, select: { sha256: true, mimeType: true } });
  const { count } = await db.knowledgeDocument.deleteMany({ where: { id: documentId, workspaceId } });
  if (!count || !document) throw new NotFoundError("document");
  // Unless the same file was added again meanwhile: its new row owns the kept file.
  const again = await db.knowledgeDocument.count({ where: { workspaceId, sha256: document.sha256 } });
  if (!again) await (await getStore()).delete(documentKey(workspaceId, document.sha256, document.mimeType)).catch(() => {});
  return { removed: true };
}

const RRF_K = 60;
/** Passages scoring below this share of the best one are left out. */
const RELATIVE_FLOOR = 0.3;
/** Below this cosine similarity a passage is not about the query at all. */
const MIN_COSINE = 0.25;

export async function searchKnowledge(
  { db, workspaceId }: WorkspaceContext,
  query: string,
  options: { limit?: number; signal?: AbortSignal; language?: string } = {},
): Promise<Passage[]> {
  const limit = options.limit ?? 4;
  const chunks = await db.knowledgeChunk.findMany({
    where: { workspaceId },
    select: {
      id: true,
      index: true,
      text: true,
      embedding: true,
      document: { select: { id: true, name: true, embeddingProvider: true, embeddingModel: true } },
    },
  });
  if (!chunks.length || !query.trim()) return [];
  const index = keywordIndex(options.language ?? searchLanguage(query));
  index.addAll(chunks.map((c) => ({ id: c.id, text: c.text })));
  const hits = index.search(query, { combineWith: "OR" });
  // A passage that matches one word of a long query, far below the best, is noise.
  const keywordHits = hits.filter((h) => h.score >= (hits[0]?.score ?? 0) * RELATIVE_FLOOR);
  const keywordRank = new Map(keywordHits.map((r, i) => [r.id as string, i]));

  // Meaning: only when the passages were embedded and the same provider and model embed the query.
  const embeddedWith = chunks.find((c) => c.embedding.length)?.document;
  let vectorRank = new Map<string, number>();
  if (embeddedWith?.embeddingProvider) {
    try {
      const result = await callCapability(db, workspaceId, "knowledge", (config, ctx) => embedWith(config, [query], ctx), { signal: options.signal });
      const q = result.value;
      if (q && q.provider === embeddedWith.embeddingProvider && q.model === embeddedWith.embeddingModel) {
        const scored = chunks
          .filter((c) => c.embedding.length === q.vectors[0]!.length && c.document.embeddingModel === q.model)
          .map((c) => ({ id: c.id, score: cosine(q.vectors[0]!, c.embedding) }))
          .sort((a, b) => b.score - a.score);
        const floor = Math.max(MIN_COSINE, (scored[0]?.score ?? 0) * RELATIVE_FLOOR);
        vectorRank = new Map(scored.filter((s) => s.score >= floor).map((s, i) => [s.id, i]));
      }
    } catch {
      // Keyword ranking still answers.
    }
  }
  const method = vectorRank.size ? "hybrid" : "keyword";
  const fused = chunks
    .map((c) => {
      const k = keywordRank.get(c.id);
      const v = vectorRank.get(c.id);
      const score = (k === undefined ? 0 : 1 / (RRF_K + k)) + (v === undefined ? 0 : 1 / (RRF_K + v));
      return { c, score };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
  return fused.map(({ c, score }) => ({
    documentId: c.document.id,
    document: c.document.name,
    chunk: c.index,
    text: c.text,
    score: Math.round(score * 10000) / 10000,
    method,
  }));
}

/** The language of a search without one (the knowledge page's box): the query's own when it
 *  is written in another script than Latin (where detection is sure), else English rules,
 *  which read every Latin-script language as they always have. */
function searchLanguage(query: string) {
  const detected = detectLanguage(query);
  return detected?.confident && detected.info && detected.info.script !== "Latn" ? detected.info.code : "en";
}

/** A keyword index for one search. Common words say nothing about relevance: they are not
 *  indexed or searched. English keeps MiniSearch's own tokens; other languages get the
 *  segmenter's words, which also holds for passages in several scripts. */
function keywordIndex(language: string) {
  if (language === "en") {
    const processTerm = (term: string) => {
      const t = term.toLowerCase();
      return t.length < 2 || STOPWORDS.has(t) ? null : t;
    };
    return new MiniSearch<{ id: string; text: string }>({ fields: ["text"], processTerm, searchOptions: { prefix: true, fuzzy: 0.15, processTerm } });
  }
  const stop = stopwordsFor(language);
  const tokenize = (text: string) => wordsOf(text, language);
  // A Chinese or Japanese word of one character is a word; elsewhere one letter is noise.
  const processTerm = (term: string) => {
    const t = foldCase(term, language);
    return stop.has(t) || (t.length < 2 && !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(t)) ? null : t;
  };
  return new MiniSearch<{ id: string; text: string }>({
    fields: ["text"],
    tokenize,
    processTerm,
    searchOptions: { prefix: true, fuzzy: 0.15, tokenize, processTerm },
  });
}

/** The passages a script is written with: the best few, within a size budget, found in the
 *  brief's language. */
export async function passagesForBrief(db: Db, workspaceId: string, brief: { topic: string; audience: string; language?: string }, signal?: AbortSignal) {
  const found = await searchKnowledge({ db, workspaceId }, brief.topic, { limit: 6, signal, language: brief.language ?? "en" });
  const chosen: Passage[] = [];
  let chars = 0;
  for (const p of found) {
    if (chosen.length >= 4 || chars + p.text.length > 4000) break;
    chosen.push(p);
    chars += p.text.length;
  }
  return chosen;
}
