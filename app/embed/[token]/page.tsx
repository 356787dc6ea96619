// The embeddable player of a shared video (for an <iframe>): the player alone. Its captions
// track is offered only when they are not burned into the picture, and never on by default.
import { notFound } from "next/navigation";
import { getUnscopedContext } from "@/server/api/route-context";
import { resolveShareToken } from "@/server/sharing/service";
import { captionsTrackOf } from "@/server/videos/brief";

export const dynamic = "force-dynamic";

export default async function EmbedPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await resolveShareToken(getUnscopedContext(), token);
  if (!link) notFound();
  const track = captionsTrackOf(link.video.brief);
  return (
    // biome-ignore lint/a11y/useMediaCaption: the captions are in the picture when no track is offered
    <video
      controls
      playsInline
      preload="metadata"
      className="h-screen w-screen bg-black"
      src={`/api/share/${token}/video`}
      poster={`/api/share/${token}/poster`}
      title={link.video.title}
    >
      {track ? <track kind="captions" src={`/api/share/${token}/captions.vtt`} srcLang={track.language} label="Captions" /> : null}
    </video>
  );
}
