// What the visuals step asks a stock video provider for, and what it gets back: one checked
// clip on disk for one shot, with its credit.

export type ClipOrientation = "landscape" | "portrait" | "square";

export type ClipWanted = {
  /** The shot's visual query. */
  query: string;
  orientation: ClipOrientation;
  /** The output's size in pixels. */
  width: number;
  height: number;
  /** The shot's expected length. */
  minDurationSec: number;
  /** Claims a clip for this video; false when another shot of the video already has it. */
  claim: (sourceId: string) => Promise<boolean>;
  /** Gives back a claim when the claimed clip could not be had: `unusable` when the clip
   *  itself is bad (corrupt, the wrong type, too large), so that the video never tries it
   *  again; otherwise (a timeout, a dropped download) it is free for a later try. */
  release: (sourceId: string, unusable: boolean) => Promise<void>;
  /** A fresh temp directory the provider downloads into (the caller removes it). */
  dir: string;
};

export type FoundClip = {
  /** The downloaded, checked clip (inside `dir`). */
  file: string;
  /** From the probe of the file, not from its URL: "video/mp4", "mp4". */
  mime: string;
  ext: string;
  /** As shown (after rotation). */
  width: number;
  height: number;
  durationSec: number;
  fps: number;
  hasAudio: boolean;
  codec: string;
  bytes: number;
  /** "pexels-video:12345", "pixabay-video:678". */
  sourceId: string;
  /** "Video by Jane Doe on Pexels". */
  credit: string;
  /** The provider's page for the clip. */
  sourceUrl: string;
  /** The asset's own words: Pixabay's tags, the words of a Pexels page URL's slug. */
  words: string[];
};

/** One file of a clip as the search answer lists it (Pexels' video_files, Pixabay's videos). */
export type ClipFile = {
  url: string;
  width: number;
  height: number;
  /** The type the answer gives (Pexels' file_type); none from Pixabay. */
  mime?: string;
  /** Its size in bytes, when the answer says. */
  bytes?: number;
};

/** One clip of a search answer, in the same terms for every provider. */
export type ClipCandidate = {
  sourceId: string;
  durationSec: number;
  width: number;
  height: number;
  files: ClipFile[];
  credit: string;
  sourceUrl: string;
  words: string[];
  /** A still of the clip on the provider's picture host, for a person choosing among clips. */
  previewUrl?: string;
};
