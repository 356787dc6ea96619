// The growing preview of a render, as the worker writes it and the app serves it: an HLS event
// playlist and its media files under one storage prefix (the spec's `output.preview`), plus a
// small status document saying which scenes can be watched so far.

/** The playlist's file name under the preview's prefix. */
export const PREVIEW_PLAYLIST = "index.m3u8";
/** The status document's file name under the preview's prefix. */
export const PREVIEW_STATUS = "status.json";

/** The name of the preview's media file for the segment at this playback position. */
export const previewChunkName = (position: number) => `chunk-${String(position).padStart(5, "0")}.ts`;

/** Every file name a preview may hold: the playlist, the status and the media files. */
export const PREVIEW_FILE_PATTERN = /^(index\.m3u8|status\.json|chunk-\d{5}\.ts)$/;

/** What `status.json` says. */
export type PreviewStatus = {
  /** The video's scenes, and how many of them from the start can be played now. */
  scenes: number;
  playableScenes: number;
  /** Each scene: its picture rendered (even if an earlier one is not yet), and playable. */
  sceneStates: ("waiting" | "rendered" | "playable")[];
  /** The preview's segments: all of them, and how many are in the playlist. */
  segments: number;
  published: number;
  /** Seconds that can be played now, and the whole video's. */
  playableSec: number;
  totalSec: number;
  /** The playlist is complete (it ends with EXT-X-ENDLIST). */
  ended: boolean;
};
