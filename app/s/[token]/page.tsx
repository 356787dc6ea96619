// A shared video's public watch page: its title and player, nothing else of the workspace.
import { notFound } from "next/navigation";
import { getDb } from "@/server/db/client";
import { countShareView, resolveShareToken } from "@/server/sharing/service";

export const dynamic = "force-dynamic";

export default async function SharedVideoPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = getDb();
  const link = await resolveShareToken(db, token);
  if (!link) notFound();
  await countShareView(db, link.id);
  return (
    <main className="mx-auto max-w-4xl space-y-4 px-6 py-10">
      <h1 className="text-2xl font-bold tracking-tight" data-testid="shared-title">
        {link.video.title}
      </h1>
      <video controls playsInline preload="metadata" className="w-full rounded-lg bg-black" src={`/api/share/${token}/video`} poster={`/api/share/${token}/poster`} data-testid="shared-player">
        <track kind="captions" src={`/api/share/${token}/captions.vtt`} srcLang="en" label="Captions" />
      </video>
      <p className="text-xs text-slate-500">Made with Aura</p>
    </main>
  );
}
