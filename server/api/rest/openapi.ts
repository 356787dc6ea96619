// The REST API's OpenAPI 3.1 document, served at /api/v1/openapi.json. Its schemas are
// generated from the zod schemas the API validates requests with and sends responses
// through (the brief, ./schemas.ts, the webhook payload), so the document cannot drift.
import { z } from "zod";
import { SCOPE_PERMISSIONS } from "../../auth/permissions.ts";
import { briefSchema } from "../../videos/brief.ts";
import { videoFilterSchema } from "../../videos/queries.ts";
import { webhookPayloadSchema } from "../../webhooks/service.ts";
import { errorBodySchema } from "../error-response.ts";
import { restCancelSchema, restUsageSchema, restVideoListSchema, restVideoSchema, restVideoSummarySchema } from "./schemas.ts";

const COMPONENTS = {
  Brief: briefSchema,
  Video: restVideoSchema,
  VideoSummary: restVideoSummarySchema,
  VideoList: restVideoListSchema,
  CancelResult: restCancelSchema,
  Usage: restUsageSchema,
  Error: errorBodySchema,
  WebhookPayload: webhookPayloadSchema,
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

const json = (component: keyof typeof COMPONENTS) => ({ "application/json": { schema: { $ref: `#/components/schemas/${component}` } } });
const responses = (ok: Record<string, unknown>) => ({
  ...ok,
  "400": { description: "Invalid input; `fields` names each field", content: json("Error") },
  "401": { description: "Missing, wrong or revoked API key", content: json("Error") },
  "403": { description: "The key lacks the scope", content: json("Error") },
  "404": { description: "No such video in the key's workspace", content: json("Error") },
});
const videoId = { name: "id", in: "path", required: true, schema: { type: "string" } };

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
    },
  };
}
