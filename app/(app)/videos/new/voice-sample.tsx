"use client";
// Hear a voice before choosing it: the button asks the server for the voice's sample (a short
// sentence in its language, spoken by the workspace's own voice chain and stored there), then
// plays it; the player stays for playing it again, and names the provider that spoke it.
// A sample of another voice is put away when the voice changes.
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { voiceInfo } from "@/server/videos/brief";
import { ErrorLine } from "../../../_components/error-line";
import { useTRPC } from "../../../_components/trpc";

type Sample = { voice: string; url: string; provider: string; speaker: string; text: string };

export function VoiceSample({ voice }: { voice: string }) {
  const trpc = useTRPC();
  const audio = useRef<HTMLAudioElement>(null);
  const [sample, setSample] = useState<Sample | null>(null);
  const make = useMutation(trpc.videos.voiceSample.mutationOptions({ onSuccess: (made, input) => setSample({ ...made, voice: input.voice }) }));
  const current = sample?.voice === voice ? sample : null;

  // A new sample plays as soon as it is there (the click that asked for it allows playing).
  useEffect(() => {
    if (current) audio.current?.play().catch(() => {});
  }, [current]);

  function play() {
    if (current) void audio.current?.play().catch(() => {});
    else make.mutate({ voice });
  }

  return (
    <>
      <button
        type="button"
        onClick={play}
        disabled={make.isPending}
        aria-label={`Hear a sample of ${voiceInfo(voice)?.label ?? "this voice"}`}
        data-testid="voice-sample-play"
        className="shrink-0 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        {make.isPending ? "Making sample…" : "▶ Hear it"}
      </button>
      {current ? (
        <div className="basis-full space-y-1">
          {/* biome-ignore lint/a11y/useMediaCaption: the sample's words are written beside it */}
          <audio ref={audio} src={current.url} controls preload="auto" data-testid="voice-sample-audio" className="h-9 w-full max-w-sm" />
          <p className="text-xs text-slate-500" data-testid="voice-sample-provider">
            &ldquo;{current.text}&rdquo; — spoken by {current.provider}
            {current.speaker ? ` (${current.speaker})` : ""}, as the video&apos;s narration would be.
          </p>
        </div>
      ) : null}
      {make.error && !current ? (
        <ErrorLine inline className="basis-full">
          {make.error.message}
        </ErrorLine>
      ) : null}
    </>
  );
}
