import { handleTrpcRequest } from "@/server/api/http";
import { createContext } from "@/server/api/trpc";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleTrpcRequest(req, () => createContext({ headers: req.headers }));

export { handler as GET, handler as POST };
