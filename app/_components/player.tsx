"use client";
// A video with its captions track and its chapters (one per scene, as written into the file):
// choosing a chapter moves the player to its start and plays from there; the chapter playing
// is marked. The video page and the public watch page both use it.
// Captions show once: a video whose captions are burned into the picture offers no track (the
// file stays downloadable), and a track is never on by default (no `default` attribute), so the
// viewer never sees the burned captions and the track's together.
import { useRef, useState } from "react";
import { formatTimestamp } from "./format";

type Chapter = { title: string; startMs: number; endMs: number };

export function Player(props: {
  src: string;
  poster: string | null;
  vtt: string | null;
  /** The captions track to offer (off by default), in the video's language; null when the
   *  captions are burned into the picture or off (server/videos/brief.ts captionsTrackOf). */
  track: { language: string } | null;
  portrait: boolean;
  chapters: Chapter[];
  testId: string;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const [atMs, setAtMs] = useState(0);
  const playing = props.chapters.findLast((chapter) => chapter.startMs <= atMs);
  const seek = (chapter: Chapter) => {
    const player = video.current;
    if (!player) return;
    player.currentTime = chapter.startMs / 1000;
    void player.play().catch(() => {});
  };
  return (
    <>
      {/* biome-ignore lint/a11y/useMediaCaption: the captions are in the picture when no track is offered */}
      <video
        ref={video}
        onTimeUpdate={(e) => setAtMs(e.currentTarget.currentTime * 1000)}
        data-testid={props.testId}
        controls
        playsInline
        preload="metadata"
        src={props.src}
        poster={props.poster ?? undefined}
        className={`rounded-lg bg-black shadow ${props.portrait ? "mx-auto max-h-[80vh]" : "w-full"}`}
      >
        {props.vtt && props.track ? <track kind="captions" srcLang={props.track.language} label="Captions" src={props.vtt} /> : null}
      </video>
      {props.chapters.length ? (
        <nav aria-label="Chapters">
          <ol className="flex flex-wrap gap-2 text-sm" data-testid="chapters">
            {props.chapters.map((chapter) => (
              <li key={chapter.startMs} data-start-ms={chapter.startMs}>
                <button
                  type="button"
                  onClick={() => seek(chapter)}
                  aria-current={chapter === playing ? "true" : undefined}
                  className={`rounded border px-2 py-1 hover:bg-slate-100 ${chapter === playing ? "border-sky-500 bg-sky-50" : "border-slate-300 bg-white"}`}
                >
                  <span className="font-mono text-slate-500">{formatTimestamp(chapter.startMs / 1000)}</span> {chapter.title}
                </button>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
    </>
  );
}
