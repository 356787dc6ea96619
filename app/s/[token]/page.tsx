// A shared video's public watch page: its title, its player and chapters, nothing else of the workspace.
import { notFound } from "next/navigation";
import { getUnscopedContext } from "@/server/api/route-context";
import { countShareView, resolveShareToken } from "@/server/sharing/service";
import { videoChapters } from "@/server/videos/queries";
import { Player } from "../../_components/player";

export const dynamic = "force-dynamic";

export default async function SharedVideoPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const ctx = getUnscopedContext();
  const link = await resolveShareToken(ctx, token);
  if (!link) notFound();
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
        portrait={(link.video.height ?? 0) > (link.video.width ?? 1)}
        chapters={chapters}
        testId="shared-player"
      />
      <p className="text-xs text-slate-500">Made with Aura</p>
    </main>
  );
}
