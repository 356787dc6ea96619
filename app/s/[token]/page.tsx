// A shared video's public watch page: its title, its player and chapters, nothing else of the
// workspace. Pasted into a chat app, the link unfolds into a preview card (Open Graph and
// Twitter tags: title, poster, duration, the video itself).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getUnscopedContext } from "@/server/api/route-context";
import { publicOrigin } from "@/server/lib/public-url";
import { countShareView, resolveShareToken } from "@/server/sharing/service";
import { videoChapters } from "@/server/videos/queries";
import { captionsTrackOf } from "@/server/videos/brief";
import { formatDuration } from "../../_components/format";
import { Player } from "../../_components/player";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ token: string }> };

/** One lookup per request, shared by the metadata and the page. */
const sharedVideo = cache((token: string) => resolveShareToken(getUnscopedContext(), token));

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { token } = await params;
  const link = await sharedVideo(token);
  if (!link) return { title: "Video not available · Aura", robots: { index: false } };
  const { title, width, height, durationSec, thumbnailAssetId } = link.video;
  const description = durationSec ? `A ${formatDuration(durationSec)} video made with Aura.` : "A video made with Aura.";
  const poster = thumbnailAssetId
    ? { url: `/api/share/${token}/poster`, ...(width && height ? { width, height } : {}), alt: title }
    : { url: "/og-default.png", width: 1200, height: 630, alt: "Aura" };
  return {
    metadataBase: new URL(publicOrigin()),
    title: `${title} · Aura`,
    description,
    robots: { index: false },
    openGraph: {
      type: "video.other",
      siteName: "Aura",
      title,
      description,
      url: `/s/${token}`,
      images: [poster],
      videos: [{ url: `/api/share/${token}/video`, type: "video/mp4", ...(width && height ? { width, height } : {}) }],
    },
    twitter: { card: "summary_large_image", title, description, images: [poster.url] },
    other: durationSec ? { "video:duration": String(Math.round(durationSec)) } : {},
  };
}

export default async function SharedVideoPage({ params }: Params) {
  const { token } = await params;
  const link = await sharedVideo(token);
  if (!link) notFound();
  const ctx = getUnscopedContext();
  await countShareView(ctx, link.id);
  const chapters = await videoChapters(ctx, link.video);
  return (
    <main className="mx-auto max-w-4xl space-y-4 px-6 py-10">
      <h1 className="text-2xl font-bold tracking-tight" data-testid="shared-title">
        {link.video.title}
      </h1>
      <Player
        src={`/api/share/${token}/video`}
        poster={`/api/share/${token}/poster`}
        vtt={`/api/share/${token}/captions.vtt`}
        track={captionsTrackOf(link.video.brief)}
        portrait={(link.video.height ?? 0) > (link.video.width ?? 1)}
        chapters={chapters}
        testId="shared-player"
      />
      <p className="text-xs text-slate-500">Made with Aura</p>
    </main>
  );
}
