// A workspace's media library: pictures, video clips and audio its members uploaded to use
// instead of stock. An upload is streamed to a temporary file under its kind's size limit,
// checked by its bytes (library/checks.ts), given a thumbnail, and only then stored: the
// original and the thumbnail under the workspace's prefix, and its row. A refused upload
// leaves nothing behind. Items are listed (searched by name and tags, filtered by kind, in
// pages), renamed, tagged and deleted (with their objects). Every query is scoped by the
// workspace: another workspace's item is not found.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pLimit from "p-limit";
import { z } from "zod";
import { recordAudit } from "../audit/log.ts";
import { can } from "../auth/permissions.ts";
import { Prisma } from "../db/client.ts";
import type { MediaKind } from "../db/generated/enums.ts";
import { getEnv } from "../env.ts";
import { describeBytes } from "../lib/bytes.ts";
import { AppError, BadRequestError, ForbiddenError, NotFoundError, QuotaError } from "../lib/errors.ts";
import type { MemberContext, ServiceContext, WorkspaceContext } from "../lib/service-context.ts";
import { tagsSchema } from "../lib/tags.ts";
import { makeThumbnail } from "../media/thumbnail.ts";
import { getStore } from "../storage/store.ts";
import { textField } from "../text/policy.ts";
import { checkMediaFile, LibraryCheckError, maxBytesOf } from "./checks.ts";
import { acceptedExtensions, KIND_WORDS, kindOfName, MEDIA_KINDS } from "./kinds.ts";
import { receiveToTempFile } from "./upload.ts";

const SELECT = {
  id: true,
  kind: true,
  name: true,
  tags: true,
  mimeType: true,
  bytes: true,
  width: true,
  height: true,
  durationSec: true,
  hasAudio: true,
  createdById: true,
  createdAt: true,
} as const;

type Row = Prisma.MediaItemGetPayload<{ select: typeof SELECT }>;

/** An item as pages and APIs show it: its file and thumbnail by their routes. */
function present(row: Row) {
  return {
    ...row,
    bytes: Number(row.bytes),
    fileUrl: `/api/library/${row.id}`,
    thumbnailUrl: `/api/library/${row.id}/thumbnail`,
  };
}
export type MediaItemView = ReturnType<typeof present>;

export const mediaNameSchema = textField("Name", { min: 1, max: 200 });

/** The name an upload is stored under: the last part of what was sent, without control characters. */
function cleanUploadName(name: string) {
  const base = path.posix.basename(name.replace(/\\/g, "/"));
  return (
    base
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this strips from the file name
      .replace(/[\u0000-\u001f\u007f]/g, "")
      .trim()
      .slice(-200)
  );
}

const tooLargeError = (name: string, kind: MediaKind) =>
  new AppError("PAYLOAD_TOO_LARGE", `file: ${name} is larger than the ${describeBytes(maxBytesOf(kind))} limit for ${KIND_WORDS[kind]}`);

/** Bytes the workspace's library holds. */
async function libraryBytes(db: Prisma.TransactionClient | WorkspaceContext["db"], workspaceId: string) {
  const sum = await db.mediaItem.aggregate({ where: { workspaceId }, _sum: { bytes: true } });
  return Number(sum._sum.bytes ?? 0);
}

/** Throws a QuotaError when `adding` more bytes would pass QUOTA_LIBRARY_MB. */
async function assertLibraryRoom(db: Prisma.TransactionClient | WorkspaceContext["db"], workspaceId: string, adding: number) {
  const limitMb = getEnv().QUOTA_LIBRARY_MB;
  if (!limitMb) return;
  const held = await libraryBytes(db, workspaceId);
  if (held + adding > limitMb * 1024 * 1024) {
    throw new QuotaError(
      "libraryMb",
      `file: this workspace's media library holds ${describeBytes(held)} of its ${describeBytes(limitMb * 1024 * 1024)}; this file (${describeBytes(adding)}) does not fit`,
    );
  }
}

/** FFprobe and FFmpeg runs for uploads, at most two at once per process: many uploads at
 *  once wait their turn instead of starving the machine. */
const checking = pLimit(2);

export type MediaUpload = {
  /** The file's name as the user's computer calls it: its extension says the kind meant. */
  name: string;
  body: ReadableStream<Uint8Array> | null;
  /** The request's Content-Length, when it sent one: refused at once when over the limit. */
  declaredBytes: number | null;
};

/** Adds an upload to the workspace's library, or refuses it saying why (BAD_REQUEST naming the
 *  file, PAYLOAD_TOO_LARGE, or the library quota) with nothing stored. */
export async function addMediaItem(ctx: ServiceContext, upload: MediaUpload, signal?: AbortSignal): Promise<MediaItemView> {
  const { db, workspaceId, userId } = ctx;
  const name = cleanUploadName(upload.name);
  if (!name) throw new BadRequestError("name: give the file's name, such as clip.mp4");
  const kind = kindOfName(name);
  if (!kind) throw new BadRequestError(`file: ${name}: only ${acceptedExtensions()} can be added`);
  if (upload.declaredBytes !== null && upload.declaredBytes > maxBytesOf(kind)) throw tooLargeError(name, kind);
  if (!upload.body) throw new BadRequestError(`file: ${name}: the file is empty`);
  if (upload.declaredBytes !== null) await assertLibraryRoom(db, workspaceId, upload.declaredBytes);

  const received = await receiveToTempFile(upload.body, maxBytesOf(kind), () => tooLargeError(name, kind), signal).catch((error: unknown) => {
    if (signal?.aborted) throw new BadRequestError("file: the upload was cancelled");
    throw error;
  });
  const token = randomBytes(12).toString("hex");
  const prefix = `workspaces/${workspaceId}/library/${token}`;
  let storedKeys: string[] = [];
  try {
    if (!received.bytes) throw new BadRequestError(`file: ${name}: the file is empty`);
    const nameExt = path.extname(name).slice(1).toLowerCase();
    const thumbnail = path.join(received.dir, "thumbnail.jpg");
    const checked = await checking(async () => {
      const media = await checkMediaFile(kind, received.file, nameExt, signal);
      await makeThumbnail(
        media.kind === "video" ? { kind: "video", durationSec: media.durationSec ?? 0 } : { kind: media.kind },
        received.file,
        thumbnail,
        signal,
      ).catch((error: unknown) => {
        throw new LibraryCheckError(`no thumbnail can be made from it (${(error as Error).message})`);
      });
      return media;
    });
    await assertLibraryRoom(db, workspaceId, received.bytes);

    const store = await getStore();
    const storageKey = `${prefix}/original.${checked.ext}`;
    const thumbnailKey = `${prefix}/thumbnail.jpg`;
    storedKeys = [storageKey, thumbnailKey];
    await store.putFile(storageKey, received.file, { contentType: checked.mimeType });
    await store.putFile(thumbnailKey, thumbnail, { contentType: "image/jpeg" });
    const row = await db.$transaction(async (tx) => {
      // Two uploads at once must not both take the last free space.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`library:${workspaceId}`}))`;
      await assertLibraryRoom(tx, workspaceId, received.bytes);
      return tx.mediaItem.create({
        data: {
          workspaceId,
          kind: checked.kind,
          name,
          storageKey,
          thumbnailKey,
          mimeType: checked.mimeType,
          bytes: BigInt(received.bytes),
          sha256: received.sha256,
          width: checked.width,
          height: checked.height,
          durationSec: checked.durationSec,
          hasAudio: checked.hasAudio,
          createdById: userId,
        },
        select: SELECT,
      });
    });
    storedKeys = [];
    return present(row);
  } catch (error) {
    if (signal?.aborted) throw new BadRequestError("file: the upload was cancelled");
    if (error instanceof LibraryCheckError) {
      // FFmpeg names the files it read and wrote: the temporary paths are ours, not the user's business.
      const message = error.message.replaceAll(`${received.file}: `, "").replaceAll(received.dir, "…");
      throw new BadRequestError(`file: ${name}: ${message}`);
    }
    throw error;
  } finally {
    if (storedKeys.length) {
      const store = await getStore();
      await Promise.all(storedKeys.map((key) => store.delete(key).catch(() => {})));
    }
    await received.remove();
  }
}

export const mediaListSchema = z.object({
  q: z.string().trim().max(200, "Search must be at most 200 characters").default(""),
  kind: z.enum(MEDIA_KINDS, { error: `Kind is one of ${MEDIA_KINDS.join(", ")}` }).optional(),
  page: z.coerce.number().int("Page is a whole number").min(1, "Page starts at 1").max(10_000).default(1),
  pageSize: z.coerce.number().int("Page size is a whole number").min(1, "Page size is at least 1").max(100, "Page size is at most 100").default(24),
});
export type MediaListInput = z.input<typeof mediaListSchema>;

/** `%` and `_` match themselves in a search. */
const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A page of the library, newest first: every word of `q` is in the name or in a tag (any
 *  case), of one kind when asked. */
export async function listMediaItems({ db, workspaceId }: WorkspaceContext, input: MediaListInput = {}) {
  const { q, kind, page, pageSize } = mediaListSchema.parse(input);
  const conditions = [Prisma.sql`"workspaceId" = ${workspaceId}`];
  if (kind) conditions.push(Prisma.sql`"kind" = ${kind}::"MediaKind"`);
  for (const word of q.split(/\s+/).filter(Boolean).slice(0, 8)) {
    const like = likePattern(word);
    conditions.push(Prisma.sql`("name" ILIKE ${like} OR EXISTS (SELECT 1 FROM unnest("tags") AS tag WHERE tag ILIKE ${like}))`);
  }
  const where = Prisma.join(conditions, " AND ");
  const [ids, counted] = await Promise.all([
    db.$queryRaw<
      { id: string }[]
    >`SELECT "id" FROM "MediaItem" WHERE ${where} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS "total" FROM "MediaItem" WHERE ${where}`,
  ]);
  const rows = await db.mediaItem.findMany({ where: { workspaceId, id: { in: ids.map((r) => r.id) } }, select: SELECT });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = ids.flatMap(({ id }) => {
    const row = byId.get(id);
    return row ? [present(row)] : [];
  });
  return { items, total: Number(counted[0]?.total ?? 0), page, pageSize };
}

async function findItemOrThrow({ db, workspaceId }: WorkspaceContext, itemId: string) {
  const item = await db.mediaItem.findFirst({ where: { id: itemId, workspaceId }, select: { ...SELECT, storageKey: true, thumbnailKey: true } });
  if (!item) throw new NotFoundError("media item");
  return item;
}

export async function getMediaItemOrThrow(ctx: WorkspaceContext, itemId: string) {
  const { storageKey: _key, thumbnailKey: _thumb, ...row } = await findItemOrThrow(ctx, itemId);
  return present(row);
}

/** The stored object behind an item (its original or its thumbnail), to serve. */
export async function getMediaFileOrThrow(ctx: WorkspaceContext, itemId: string, which: "original" | "thumbnail") {
  const item = await findItemOrThrow(ctx, itemId);
  return which === "original"
    ? { storageKey: item.storageKey, mimeType: item.mimeType, name: item.name }
    : { storageKey: item.thumbnailKey, mimeType: "image/jpeg", name: `${item.name}.jpg` };
}

export const mediaUpdateSchema = z
  .object({ name: mediaNameSchema.optional(), tags: tagsSchema.optional() })
  .refine((u) => u.name !== undefined || u.tags !== undefined, "Give a new name, new tags, or both");

/** Renames an item and/or replaces its tags (lower-cased, each once). */
export async function updateMediaItem(ctx: WorkspaceContext, itemId: string, input: z.input<typeof mediaUpdateSchema>) {
  const update = mediaUpdateSchema.parse(input);
  const data = {
    ...(update.name !== undefined ? { name: update.name } : {}),
    ...(update.tags !== undefined ? { tags: [...new Set(update.tags)] } : {}),
  };
  const { count } = await ctx.db.mediaItem.updateMany({ where: { id: itemId, workspaceId: ctx.workspaceId }, data });
  if (!count) throw new NotFoundError("media item");
  return getMediaItemOrThrow(ctx, itemId);
}

/** Deletes an item and its stored objects. Members delete what they added; deleting another
 *  member's item takes an admin (library.manage). A video that used the item has its own copy. */
export async function removeMediaItem(ctx: MemberContext, itemId: string) {
  const { db, workspaceId, userId, role } = ctx;
  const item = await findItemOrThrow(ctx, itemId);
  if (item.createdById !== userId && !can(role, "library.manage")) {
    throw new ForbiddenError(`Your role (${role}) may delete only the media you added; ask an admin to delete "${item.name}"`);
  }
  await db.$transaction(async (tx) => {
    const { count } = await tx.mediaItem.deleteMany({ where: { id: itemId, workspaceId } });
    if (!count) throw new NotFoundError("media item");
    await recordAudit(tx, {
      workspaceId,
      actorId: userId,
      action: "media.deleted",
      targetType: "media",
      targetId: itemId,
      data: { name: item.name, kind: item.kind, bytes: Number(item.bytes) },
    });
  });
  const store = await getStore();
  await Promise.all([store.delete(item.storageKey), store.delete(item.thumbnailKey)]);
  return { removed: true };
}
