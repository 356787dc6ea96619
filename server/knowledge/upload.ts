// The file of a knowledge upload (app/api/knowledge), read from its multipart body with the
// bytes counted as they arrive (lib/capped-stream.ts): the Content-Length header is only a hint
// (a chunked body has none), so reading stops with a 413 as soon as more than the limit has come in.
import { capStream, declaredLength } from "../lib/capped-stream.ts";
import { AppError, BadRequestError } from "../lib/errors.ts";
import { describeBytes } from "../lib/bytes.ts";
import { KNOWLEDGE_LIMITS } from "./extract.ts";

/** The uploaded file (multipart field "file"); PAYLOAD_TOO_LARGE as soon as the body passes the limit. */
export async function readUploadedFile(request: Request): Promise<File> {
  const cap = KNOWLEDGE_LIMITS.maxBytes + KNOWLEDGE_LIMITS.uploadOverheadBytes;
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `file: larger than the ${describeBytes(KNOWLEDGE_LIMITS.maxBytes)} limit`);
  if ((declaredLength(request) ?? 0) > cap) throw tooLarge();
  const notMultipart = () => new BadRequestError("file: send the document as multipart/form-data in a field named file");
  const contentType = request.headers.get("content-type") ?? "";
  if (!request.body || !/^multipart\/form-data\b/i.test(contentType)) throw notMultipart();
  let overCap = false;
  const capped = capStream(request.body, cap, () => {
    overCap = true;
    return tooLarge();
  });
  let form: FormData;
  try {
    form = await new Response(capped, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw overCap ? tooLarge() : notMultipart();
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new BadRequestError("file: no file was sent");
  return file;
}
