// A request body read with its bytes counted as they arrive: the Content-Length header is only
// a hint (a chunked body has none), so an upload is stopped as soon as more than its limit has
// come in, whatever it declared. Knowledge and media library uploads both read through it.

/** The body's bytes, passed on until more than `cap` have come; then the stream errors with
 *  `tooLarge()`, which cancels the body: nothing more is read from the client. */
export function capStream(body: ReadableStream<Uint8Array>, cap: number, tooLarge: () => Error) {
  let received = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received <= cap) return controller.enqueue(chunk);
        controller.error(tooLarge());
      },
    }),
  );
}

/** The request's declared length, when it sent one. */
export function declaredLength(request: Request) {
  const header = request.headers.get("content-length");
  return header === null || !/^\d+$/.test(header.trim()) ? null : Number(header);
}
