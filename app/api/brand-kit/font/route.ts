// Sets the active workspace's brand kit caption font: the TTF or OTF file is the request body
// (sent as is) and its name the `name` query parameter. Admins and owners. The rest of the kit
// is tRPC (brandKit.*).
import { handleErrors } from "@/server/api/error-response";
import { getRouteContext } from "@/server/api/route-context";
import { assertPermission } from "@/server/auth/permissions";
import { setBrandFont } from "@/server/brand/service";
import { declaredLength } from "@/server/lib/capped-stream";

export const dynamic = "force-dynamic";

export const POST = handleErrors(
  "brand font upload failed",
  async (request: Request) => {
    const ctx = await getRouteContext();
    assertPermission(ctx.role, "brand.manage", "change the brand kit");
    const name = new URL(request.url).searchParams.get("name") ?? "";
    const kit = await setBrandFont(ctx, { name, body: request.body, declaredBytes: declaredLength(request) }, request.signal);
    return Response.json({ kit });
  },
  { plainNotFound: true },
);
