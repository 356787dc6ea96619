// The REST API's OpenAPI 3.1 document, served at /api/v1/openapi.json. Its schemas are
// generated from the zod schemas the API validates requests with and sends responses
// through (the brief, ./schemas.ts, the webhook payload), so the document cannot drift.
import { z } from "zod";
import { PREVIEW_FILE_PATTERN } from "@aura/render-contract";
import { SCOPE_PERMISSIONS } from "../../auth/permissions.ts";
import { briefSchema } from "../../videos/brief.ts";
import { videoFilterSchema } from "../../videos/queries.ts";
import { webhookPayloadSchema } from "../../webhooks/service.ts";
import { errorBodySchema } from "../error-response.ts";
import { mediaListSchema, mediaUpdateSchema } from "../../library/service.ts";
import { acceptedExtensions } from "../../library/kinds.ts";
import { brandKitSchema, brandKitUpdateSchema } from "../../brand/schema.ts";
import { FONT_MAX_BYTES } from "../../brand/font.ts";
import { describeBytes } from "../../lib/bytes.ts";
import {
  restCancelSchema,
  restMediaItemSchema,
  restMediaPageSchema,
  restRemovedSchema,
  restUsageSchema,
  restVideoListSchema,
  restVideoSchema,
  restVideoSummarySchema,
} from "./schemas.ts";
import { qualityReportSchema } from "../../pipeline/render/quality-report.ts";

const COMPONENTS = {
  Brief: briefSchema,
  Video: restVideoSchema,
  QualityReport: qualityReportSchema,
  VideoSummary: restVideoSummarySchema,
  VideoList: restVideoListSchema,
  CancelResult: restCancelSchema,
  Usage: restUsageSchema,
  Error: errorBodySchema,
  WebhookPayload: webhookPayloadSchema,
  MediaItem: restMediaItemSchema,
  MediaPage: restMediaPageSchema,
  MediaUpdate: mediaUpdateSchema,
  Removed: restRemovedSchema,
  BrandKit: brandKitSchema,
  BrandKitUpdate: brandKitUpdateSchema,
};

/** Each schema as JSON Schema, a component naming the others by $ref. Requests are read as
 *  input (defaults make fields optional); the response schemas have no defaults. */
function componentSchemas() {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io: "input", uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]));
}

/** The library's filters as query parameters, from the schema that reads them. A date has
 *  no JSON Schema type of its own: it is sent as a string (YYYY-MM-DD). */
function filterParameters() {
  const properties = z.toJSONSchema(videoFilterSchema, { io: "output", unrepresentable: "any" }).properties ?? {};
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: "query",
    required: false,
    schema: Object.keys(schema).length ? schema : { type: "string", format: "date" },
  }));
}

/** The media library list's search, kind and page as query parameters, from the schema that reads them. */
function mediaListParameters() {
  const properties = z.toJSONSchema(mediaListSchema, { io: "input" }).properties ?? {};
  return Object.entries(properties).map(([name, schema]) => ({ name, in: "query", required: false, schema }));
}

const json = (component: keyof typeof COMPONENTS) => ({ "application/json": { schema: { $ref: `#/components/schemas/${component}` } } });
const responses = (ok: Record<string, unknown>) => ({
  ...ok,
  "400": { description: "Invalid input; `fields` names each field", content: json("Error") },
  "401": { description: "Missing, wrong or revoked API key", content: json("Error") },
  "403": { description: "The key lacks the scope", content: json("Error") },
  "404": { description: "No such video in the key's workspace", content: json("Error") },
});
const videoId = { name: "id", in: "path", required: true, schema: { type: "string" } };
const itemId = { name: "id", in: "path", required: true, schema: { type: "string" }, description: "The media library item's id" };
const KIT_ITEM = { description: "An item named is not in the key's workspace's media library", content: json("Error") };
const NOT_ITEM = { description: "No such item in the key's workspace", content: json("Error") };

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Aura API", version: "1", description: "Make narrated videos from briefs. Every key belongs to one workspace and acts only there." },
    servers: [{ url: "/api/v1" }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", bearerFormat: "aura_<prefix>_<secret>", description: `Scopes: ${Object.keys(SCOPE_PERMISSIONS).join(", ")}` },
      },
      schemas: componentSchemas(),
    },
    paths: {
      "/videos": {
        post: {
          operationId: "createVideo",
          summary: "Create a video from a brief (scope videos:write)",
          requestBody: { required: true, content: json("Brief") },
          responses: responses({
            "201": { description: "Queued", content: json("Video") },
            "429": { description: "A workspace quota is reached, or the AI spend limit would be passed", content: json("Error") },
          }),
        },
        get: {
          operationId: "listVideos",
          summary: "List the workspace's videos (scope videos:read)",
          parameters: filterParameters(),
          responses: responses({ "200": { description: "Videos", content: json("VideoList") } }),
        },
      },
      "/videos/{id}": {
        get: {
          operationId: "getVideo",
          summary: "A video's status (scope videos:read)",
          parameters: [videoId],
          responses: responses({ "200": { description: "The video", content: json("Video") } }),
        },
      },
      "/videos/{id}/cancel": {
        post: {
          operationId: "cancelVideo",
          summary: "Cancel the video's job (scope videos:write)",
          parameters: [videoId],
          responses: responses({ "200": { description: "Cancelled or cancelling", content: json("CancelResult") } }),
        },
      },
      "/usage": {
        get: {
          operationId: "getUsage",
          summary: "The workspace's monthly AI spend limit and this month's use (scope videos:read)",
          responses: responses({ "200": { description: "Usage", content: json("Usage") } }),
        },
      },
      "/videos/{id}/download": {
        get: {
          operationId: "downloadVideo",
          summary: "Download the MP4 (scope videos:read); supports Range",
          parameters: [videoId],
          responses: responses({ "200": { description: "MP4", content: { "video/mp4": {} } }, "206": { description: "Part of the MP4" } }),
        },
      },
      "/videos/{id}/preview/{file}": {
        get: {
          operationId: "getVideoPreview",
          summary: "The growing preview while the video renders (scope videos:read)",
          description:
            "index.m3u8 is an HLS event playlist (EXT-X-PLAYLIST-TYPE:EVENT) of the scenes rendered so far, in playback order, each file video and mixed audio; it grows while the render runs and ends with EXT-X-ENDLIST. Its files (chunk-00000.ts, …) are fetched beside it with the same key. status.json says which scenes are rendered and playable. 404 before the first scene is ready and once the final video has replaced the preview.",
          parameters: [
            videoId,
            {
              name: "file",
              in: "path",
              required: true,
              schema: { type: "string", pattern: PREVIEW_FILE_PATTERN.source },
              description: "index.m3u8, status.json or a media file the playlist names",
            },
          ],
          responses: responses({
            "200": {
              description: "The playlist, the status or a media file",
              content: { "application/vnd.apple.mpegurl": {}, "application/json": {}, "video/mp2t": {} },
            },
          }),
        },
      },
      "/library": {
        post: {
          operationId: "uploadMedia",
          summary: "Add a picture, video clip or audio file to the media library (scope library:write)",
          description: `The request body is the file itself, sent as is. Its name's extension says its kind: ${acceptedExtensions()}. The bytes must be that kind, within its size limit (LIBRARY_MAX_*_MB); a refusal names the file and the reason, and nothing is stored.`,
          parameters: [{ name: "name", in: "query", required: true, schema: { type: "string" }, description: "The file's name, such as intro.mp4" }],
          requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
          responses: responses({
            "201": { description: "Added, with its thumbnail", content: json("MediaItem") },
            "413": { description: "Larger than its kind's limit", content: json("Error") },
            "429": { description: "The workspace's media library is full (quota libraryMb)", content: json("Error") },
          }),
        },
        get: {
          operationId: "listMedia",
          summary: "List the media library, newest first: search in names and tags, filter by kind (scope library:read)",
          parameters: mediaListParameters(),
          responses: responses({ "200": { description: "A page of items", content: json("MediaPage") } }),
        },
      },
      "/library/{id}": {
        get: {
          operationId: "getMedia",
          summary: "One media library item (scope library:read)",
          parameters: [itemId],
          responses: responses({ "200": { description: "The item", content: json("MediaItem") }, "404": NOT_ITEM }),
        },
        patch: {
          operationId: "updateMedia",
          summary: "Rename an item and/or replace its tags (scope library:write)",
          parameters: [itemId],
          requestBody: { required: true, content: json("MediaUpdate") },
          responses: responses({ "200": { description: "The item as changed", content: json("MediaItem") }, "404": NOT_ITEM }),
        },
        delete: {
          operationId: "deleteMedia",
          summary: "Delete an item and its files (scope library:write; another member's item needs the key's creator to be an admin)",
          parameters: [itemId],
          responses: responses({ "200": { description: "Deleted", content: json("Removed") }, "404": NOT_ITEM }),
        },
      },
      "/library/{id}/file": {
        get: {
          operationId: "downloadMedia",
          summary: "The item's file as uploaded (scope library:read); supports Range",
          parameters: [itemId, { name: "download", in: "query", required: false, schema: { const: "1" }, description: "1: as an attachment" }],
          responses: responses({ "200": { description: "The file, with its own type" }, "206": { description: "Part of the file" }, "404": NOT_ITEM }),
        },
      },
      "/library/{id}/thumbnail": {
        get: {
          operationId: "getMediaThumbnail",
          summary: "The item's thumbnail, a JPEG at most 480 px on a side (scope library:read)",
          parameters: [itemId],
          responses: responses({ "200": { description: "JPEG", content: { "image/jpeg": {} } }, "404": NOT_ITEM }),
        },
      },
      "/brand-kit": {
        get: {
          operationId: "getBrandKit",
          summary: "The workspace's brand kit; the defaults with configured false until it is first saved (scope brand:read)",
          responses: responses({ "200": { description: "The kit", content: json("BrandKit") } }),
        },
        put: {
          operationId: "updateBrandKit",
          summary:
            "Change the brand kit: each field given is set, each left out keeps its value (scope brand:write; the key's creator must be an admin or the owner)",
          description:
            "The logo is a picture, the intro and outro video clips and the music an audio file of the workspace's own media library. New briefs use the kit unless they say otherwise (the brief's brand field).",
          requestBody: { required: true, content: json("BrandKitUpdate") },
          responses: responses({ "200": { description: "The kit as changed", content: json("BrandKit") }, "404": KIT_ITEM }),
        },
      },
      "/brand-kit/font": {
        post: {
          operationId: "setBrandFont",
          summary: "Set the caption font (scope brand:write; the key's creator must be an admin or the owner)",
          description: `The request body is a TrueType (.ttf) or OpenType (.otf) font file, sent as is, at most ${describeBytes(FONT_MAX_BYTES)}. Its bytes must be a whole, readable font whose family name is letters, digits, spaces, - and _; a refusal names the file and the reason, and nothing is stored. The font it replaces is deleted.`,
          parameters: [{ name: "name", in: "query", required: true, schema: { type: "string" }, description: "The file's name, such as Brand-Bold.ttf" }],
          requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
          responses: responses({
            "200": { description: "The kit with its font", content: json("BrandKit") },
            "413": { description: "Larger than the font limit", content: json("Error") },
          }),
        },
        delete: {
          operationId: "removeBrandFont",
          summary: "Remove the caption font: captions go back to the default font (scope brand:write)",
          responses: responses({ "200": { description: "The kit without a font", content: json("BrandKit") } }),
        },
      },
    },
  };
}
