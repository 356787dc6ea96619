// The embeddable player of a shared video (for an <iframe>): the player alone.
import { notFound } from "next/navigation";
import { getUnscopedContext } from "@/server/api/route-context";
import { resolveShareToken } from "@/server/sharing/service";

export const dynamic = "force-dynamic";

export default async function EmbedPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await resolveShareToken(getUnscopedContext(), token);
  if (!link) notFound();
  return (
    <video
      controls
      playsInline
      preload="metadata"
      className="h-screen w-screen bg-black"
      src={`/api/share/${token}/video`}
      poster={`/api/share/${token}/poster`}
      title={link.video.title}
    >
      <track kind="captions" src={`/api/share/${token}/captions.vtt`} srcLang="en" label="Captions" />
    </video>
  );
}
