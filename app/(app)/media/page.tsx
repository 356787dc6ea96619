import { can } from "@/server/auth/permissions";
import { requireWorkspace } from "@/server/auth/session";
import { getEnv } from "@/server/env";
import { MediaLibrary } from "./media-library";

export const dynamic = "force-dynamic";

export default async function MediaPage() {
  const { user, role } = await requireWorkspace();
  const env = getEnv();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Media library</h1>
        <p className="text-sm text-slate-600">
          This workspace&apos;s own pictures, video clips and audio (music, sound effects, voice-overs), to use instead of stock. Every file is checked by its
          contents before it is kept.
        </p>
      </div>
      <MediaLibrary
        userId={user.id}
        canUpload={can(role, "library.upload")}
        canDeleteAny={can(role, "library.manage")}
        limitsMb={{ image: env.LIBRARY_MAX_IMAGE_MB, video: env.LIBRARY_MAX_VIDEO_MB, audio: env.LIBRARY_MAX_AUDIO_MB }}
      />
    </div>
  );
}
