// The REST API's OpenAPI 3.1 document, served at /api/v1/openapi.json. The brief's schema is
// generated from the same zod schema the API validates with, so the two cannot drift.
import { z } from "zod";
import { briefSchema } from "../../videos/brief.ts";
import { WEBHOOK_EVENTS } from "../../webhooks/service.ts";

const error = {
  type: "object",
  properties: { error: { type: "string" }, fields: { type: "object", additionalProperties: { type: "string" } } },
  required: ["error"],
};
const responses = (ok: Record<string, unknown>) => ({
  ...ok,
  "400": { description: "Invalid input; `fields` names each field", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "401": { description: "Missing, wrong or revoked API key", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "403": { description: "The key lacks the scope", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "404": { description: "No such video in the key's workspace", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
});
const videoId = { name: "id", in: "path", required: true, schema: { type: "string" } };
const video = { "application/json": { schema: { $ref: "#/components/schemas/Video" } } };

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Aura API", version: "1", description: "Make narrated videos from briefs. Every key belongs to one workspace and acts only there." },
    servers: [{ url: "/api/v1" }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", bearerFormat: "aura_<prefix>_<secret>", description: "Scopes: videos:read, videos:write" } },
      schemas: {
        Brief: z.toJSONSchema(briefSchema, { io: "input" }),
        Error: error,
        Video: {
          type: "object",
          properties: {
            id: { type: "string" },
            title: { type: "string" },
            status: { type: "string", enum: ["draft", "queued", "processing", "review", "ready", "failed", "cancelled", "expired"] },
            durationSec: { type: ["number", "null"] },
            chapters: {
              type: "array",
              description: "One per scene, as in the file; empty until the video is ready, and while an edited scene renders again.",
              items: { type: "object", properties: { title: { type: "string" }, startMs: { type: "integer" }, endMs: { type: "integer" } } },
            },
            job: {
              type: ["object", "null"],
              properties: {
                id: { type: "string" },
                status: { type: "string" },
                progress: { type: "number" },
                stage: { type: ["string", "null"] },
                error: { type: ["object", "null"] },
              },
            },
            links: { type: "object", properties: { self: { type: "string" }, download: { type: ["string", "null"] } } },
          },
        },
        WebhookPayload: {
          type: "object",
          description:
            'POSTed to your webhook with "Aura-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of `${t}.${body}` with the webhook secret>", "Aura-Event" and "Aura-Delivery". Answer 2xx; anything else is retried after 5 s, 30 s, 2 min, 10 min and 1 h.',
          properties: { id: { type: "string" }, event: { type: "string", enum: [...WEBHOOK_EVENTS] }, createdAt: { type: "string" }, data: { type: "object" } },
        },
      },
    },
    paths: {
      "/videos": {
        post: {
          summary: "Create a video from a brief (scope videos:write)",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Brief" } } } },
          responses: responses({
            "201": { description: "Queued", content: video },
            "429": { description: "A workspace quota is reached", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          }),
        },
        get: {
          summary: "List the workspace's videos (scope videos:read)",
          parameters: ["q", "status", "tag", "creator", "from", "to", "sort"].map((name) => ({
            name,
            in: "query",
            required: false,
            schema: { type: "string" },
          })),
          responses: responses({
            "200": {
              description: "Videos",
              content: {
                "application/json": { schema: { type: "object", properties: { videos: { type: "array", items: { $ref: "#/components/schemas/Video" } } } } },
              },
            },
          }),
        },
      },
      "/videos/{id}": {
        get: {
          summary: "A video's status (scope videos:read)",
          parameters: [videoId],
          responses: responses({ "200": { description: "The video", content: video } }),
        },
      },
      "/videos/{id}/cancel": {
        post: {
          summary: "Cancel the video's job (scope videos:write)",
          parameters: [videoId],
          responses: responses({ "200": { description: "Cancelled or cancelling" } }),
        },
      },
      "/videos/{id}/download": {
        get: {
          summary: "Download the MP4 (scope videos:read); supports Range",
          parameters: [videoId],
          responses: responses({ "200": { description: "MP4", content: { "video/mp4": {} } }, "206": { description: "Part of the MP4" } }),
        },
      },
    },
  };
}
