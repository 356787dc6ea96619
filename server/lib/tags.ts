// Tags: free-form labels people find things by (videos, media library items), stored lower-case.
import { z } from "zod";

export const tagsSchema = z
  .array(
    z
      .string()
      .trim()
      .toLowerCase()
      .min(1, "A tag cannot be empty")
      .max(40, "A tag has at most 40 characters")
      .regex(/^[\p{L}\p{N} _-]+$/u, "Tags use letters, digits, spaces, - and _"),
  )
  .max(12, "At most 12 tags");

/** Tags as people type them in one field: separated by commas, blanks dropped. */
export const splitTags = (text: string) =>
  text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
