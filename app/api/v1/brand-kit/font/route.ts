// REST: the brand kit's caption font: set it (POST, the TTF or OTF file as the body, ?name=) or remove it (DELETE).
import { removeBrandFontRoute, uploadBrandFontRoute } from "@/server/api/rest/brand-kit";

export const dynamic = "force-dynamic";
export { uploadBrandFontRoute as POST, removeBrandFontRoute as DELETE };
