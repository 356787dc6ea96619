// The kinds of media a library holds and the file extensions each is recognised by. Imports
// nothing server-only: the library page uses it for its file picker and hints.
export const MEDIA_KINDS = ["image", "video", "audio"] as const;
export type MediaKindName = (typeof MEDIA_KINDS)[number];

export const KIND_EXTENSIONS: Record<MediaKindName, readonly string[]> = {
  image: ["png", "jpg", "jpeg", "webp"],
  video: ["mp4", "m4v", "mov", "webm", "mkv"],
  audio: ["mp3", "wav", "m4a", "aac", "ogg", "oga", "opus", "flac"],
};
export const KIND_WORDS: Record<MediaKindName, string> = { image: "pictures", video: "video clips", audio: "audio files" };

/** The kind a file name stands for, or null when its extension is none we take. */
export function kindOfName(name: string): MediaKindName | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";
  return MEDIA_KINDS.find((kind) => KIND_EXTENSIONS[kind].includes(ext)) ?? null;
}

export function acceptedExtensions() {
  return MEDIA_KINDS.map((kind) => `${KIND_WORDS[kind]} (${KIND_EXTENSIONS[kind].map((e) => `.${e}`).join(", ")})`).join(", ");
}
