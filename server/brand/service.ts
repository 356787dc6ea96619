// A workspace's brand kit: read by every member, changed by its admins and owner
// (brand.manage). Its logo, intro and outro clips and music are media library items of the
// same workspace, each of the right kind: another workspace's item is not found. The caption
// font is uploaded on its own, checked by its bytes (font.ts) and stored under the
// workspace's prefix; a refused font leaves nothing behind.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { recordAudit } from "../audit/log.ts";
import { assertPermission } from "../auth/permissions.ts";
import type { MediaKind } from "../db/generated/enums.ts";
import { describeBytes } from "../lib/bytes.ts";
import { AppError, BadRequestError, NotFoundError } from "../lib/errors.ts";
import type { MemberContext, WorkspaceContext } from "../lib/service-context.ts";
import { KIND_WORDS } from "../library/kinds.ts";
import { receiveToTempFile } from "../library/upload.ts";
import { getStore } from "../storage/store.ts";
import { checkFontBytes, FONT_MAX_BYTES, FontCheckError } from "./font.ts";
import { BRAND_DEFAULTS, brandKitUpdateSchema, type BrandKitUpdate, type BrandKitView, type LOGO_POSITIONS } from "./schema.ts";

const ITEM = { select: { id: true, name: true, kind: true, durationSec: true } } as const;
const INCLUDE = { logo: ITEM, intro: ITEM, outro: ITEM, music: ITEM } as const;

/** The kit's row with its items, or null when the workspace has none yet. */
function findKit({ db, workspaceId }: WorkspaceContext) {
  return db.brandKit.findUnique({ where: { workspaceId }, include: INCLUDE });
}
type KitRow = NonNullable<Awaited<ReturnType<typeof findKit>>>;

function present(row: KitRow | null): BrandKitView {
  if (!row) return { configured: false, logo: null, ...BRAND_DEFAULTS, font: null, intro: null, outro: null, music: null, updatedAt: null };
  return {
    configured: true,
    logo: row.logo,
    logoUse: row.logoUse,
    logoPosition: row.logoPosition as (typeof LOGO_POSITIONS)[number],
    logoOpacity: row.logoOpacity,
    primaryColor: row.primaryColor,
    backgroundColor: row.backgroundColor,
    accentColor: row.accentColor,
    captionColor: row.captionColor,
    captionHighlightColor: row.captionHighlightColor,
    font: row.fontKey && row.fontFamily ? { family: row.fontFamily, fileName: row.fontFileName ?? `${row.fontFamily}${path.extname(row.fontKey)}` } : null,
    intro: row.intro,
    outro: row.outro,
    music: row.music,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getBrandKit(ctx: WorkspaceContext): Promise<BrandKitView> {
  return present(await findKit(ctx));
}

const ITEM_FIELDS = [
  { field: "logoItemId", kind: "image", label: "The logo" },
  { field: "introItemId", kind: "video", label: "The intro" },
  { field: "outroItemId", kind: "video", label: "The outro" },
  { field: "musicItemId", kind: "audio", label: "The music" },
] as const satisfies readonly { field: keyof BrandKitUpdate; kind: MediaKind; label: string }[];

/** Each item named must be the workspace's own (else NOT_FOUND) and of its field's kind (else a
 *  400 naming the field). */
async function assertItems({ db, workspaceId }: WorkspaceContext, update: BrandKitUpdate) {
  for (const { field, kind, label } of ITEM_FIELDS) {
    const id = update[field];
    if (!id) continue;
    const item = await db.mediaItem.findFirst({ where: { id, workspaceId }, select: { kind: true, name: true } });
    if (!item) throw new NotFoundError("media item");
    if (item.kind !== kind)
      throw new AppError("BAD_REQUEST", `${field}: ${label} must be one of the library's ${KIND_WORDS[kind]}; "${item.name}" is not`, {
        fields: { [field]: `${label} must be one of the library's ${KIND_WORDS[kind]}` },
      });
  }
}

/** Changes the kit (creating it on first save). Admins and owners only. */
export async function updateBrandKit(ctx: MemberContext, input: BrandKitUpdate): Promise<BrandKitView> {
  assertPermission(ctx.role, "brand.manage", "change the brand kit");
  const update = brandKitUpdateSchema.parse(input);
  await assertItems(ctx, update);
  const { db, workspaceId, userId } = ctx;
  const data = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined));
  await db.$transaction(async (tx) => {
    await tx.brandKit.upsert({ where: { workspaceId }, create: { workspaceId, ...data, updatedById: userId }, update: { ...data, updatedById: userId } });
    await recordAudit(tx, {
      workspaceId,
      actorId: userId,
      action: "brand.updated",
      targetType: "brand-kit",
      targetId: workspaceId,
      data: { fields: Object.keys(data) },
    });
  });
  return getBrandKit(ctx);
}

export type FontUpload = { name: string; body: ReadableStream<Uint8Array> | null; declaredBytes: number | null };

const fontTooLarge = (name: string) => new AppError("PAYLOAD_TOO_LARGE", `file: ${name} is larger than the ${describeBytes(FONT_MAX_BYTES)} limit for fonts`);

/** Sets the kit's caption font from an upload, or refuses it naming the file and the reason
 *  (nothing stored). The font it replaces is deleted. */
export async function setBrandFont(ctx: MemberContext, upload: FontUpload, signal?: AbortSignal): Promise<BrandKitView> {
  assertPermission(ctx.role, "brand.manage", "change the brand kit");
  const { db, workspaceId, userId } = ctx;
  const name = path.posix
    .basename(upload.name.replace(/\\/g, "/"))
    .replace(/[^\p{L}\p{N} ._()-]/gu, "")
    .trim()
    .slice(-200);
  if (!name) throw new BadRequestError("name: give the font file's name, such as Brand-Regular.ttf");
  if (!/\.(ttf|otf)$/i.test(name)) throw new BadRequestError(`file: ${name}: only TrueType (.ttf) and OpenType (.otf) fonts can be used`);
  if (upload.declaredBytes !== null && upload.declaredBytes > FONT_MAX_BYTES) throw fontTooLarge(name);
  if (!upload.body) throw new BadRequestError(`file: ${name}: the file is empty`);
  const received = await receiveToTempFile(upload.body, FONT_MAX_BYTES, () => fontTooLarge(name), signal);
  let stored: string | null = null;
  try {
    let font: ReturnType<typeof checkFontBytes>;
    try {
      font = checkFontBytes(await readFile(received.file));
    } catch (error) {
      if (error instanceof FontCheckError) throw new BadRequestError(`file: ${name}: ${error.message}`);
      throw error;
    }
    const key = `workspaces/${workspaceId}/brand/font-${randomBytes(8).toString("hex")}.${font.ext}`;
    const store = await getStore();
    await store.putFile(key, received.file, { contentType: font.mimeType });
    stored = key;
    const before = await db.brandKit.findUnique({ where: { workspaceId }, select: { fontKey: true } });
    await db.$transaction(async (tx) => {
      const fields = { fontKey: key, fontFamily: font.family, fontFileName: name, updatedById: userId };
      await tx.brandKit.upsert({ where: { workspaceId }, create: { workspaceId, ...fields }, update: fields });
      await recordAudit(tx, {
        workspaceId,
        actorId: userId,
        action: "brand.font.set",
        targetType: "brand-kit",
        targetId: workspaceId,
        data: { family: font.family, file: name },
      });
    });
    stored = null;
    if (before?.fontKey) await store.delete(before.fontKey).catch(() => {});
    return getBrandKit(ctx);
  } finally {
    if (stored) await (await getStore()).delete(stored).catch(() => {});
    await received.remove();
  }
}

/** Takes the caption font off the kit (captions go back to the default font) and deletes it. */
export async function removeBrandFont(ctx: MemberContext): Promise<BrandKitView> {
  assertPermission(ctx.role, "brand.manage", "change the brand kit");
  const { db, workspaceId, userId } = ctx;
  const row = await db.brandKit.findUnique({ where: { workspaceId }, select: { fontKey: true } });
  if (row?.fontKey) {
    await db.$transaction(async (tx) => {
      await tx.brandKit.update({ where: { workspaceId }, data: { fontKey: null, fontFamily: null, fontFileName: null, updatedById: userId } });
      await recordAudit(tx, { workspaceId, actorId: userId, action: "brand.font.removed", targetType: "brand-kit", targetId: workspaceId });
    });
    await (await getStore()).delete(row.fontKey).catch(() => {});
  }
  return getBrandKit(ctx);
}

/** Whether new briefs of the workspace start with the kit on: once an admin has saved one. */
export async function hasBrandKit({ db, workspaceId }: WorkspaceContext) {
  return (await db.brandKit.count({ where: { workspaceId } })) > 0;
}

/** What the pipeline needs of the kit: storage keys and values, not views. */
export async function loadBrandKitForRender({ db, workspaceId }: WorkspaceContext) {
  const item = { select: { storageKey: true, mimeType: true, sha256: true, width: true, height: true, durationSec: true, hasAudio: true } } as const;
  return db.brandKit.findUnique({ where: { workspaceId }, include: { logo: item, intro: item, outro: item, music: item } });
}
export type BrandKitForRender = NonNullable<Awaited<ReturnType<typeof loadBrandKitForRender>>>;
