"use client";
// The video's tags, comma-separated, for finding it in the library.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { splitTags } from "@/server/lib/tags";
import { ErrorLine } from "../../../_components/error-line";
import { useTRPC } from "../../../_components/trpc";

export function TagEditor({ videoId, tags }: { videoId: string; tags: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [text, setText] = useState(tags.join(", "));
  const save = useMutation(trpc.videos.setTags.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <form
      className="flex items-center gap-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ videoId, tags: splitTags(text) });
      }}
    >
      <label htmlFor="video-tags" className="text-slate-600">
        Tags
      </label>
      <input
        id="video-tags"
        className="rounded border border-slate-300 px-2 py-1"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="product, launch"
      />
      <button type="submit" className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">
        Save tags
      </button>
      <ErrorLine error={save.error} inline />
    </form>
  );
}
