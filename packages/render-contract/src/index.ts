// The render contract: what the app sends the render worker and both sides compute from it.
// It imports nothing from the app or the worker.
export * from "./chapters.ts";
export * from "./formats.ts";
export * from "./preview.ts";
export * from "./processes.ts";
export * from "./quality.ts";
export * from "./spec.ts";
export * from "./storage-key.ts";
export * from "./timeline.ts";
export * from "./languages.ts";
export * from "./text.ts";
export * from "./caption-box.ts";
