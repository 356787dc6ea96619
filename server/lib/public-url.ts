// The app's public address, for links that leave it: invitation mails, and the absolute URLs
// a shared video's preview card needs (chat apps fetch og:image from another machine).
import { getEnv } from "../env.ts";

/** PUBLIC_URL, AUTH_URL, or localhost on PORT. */
export function publicOrigin() {
  return getEnv().PUBLIC_URL ?? process.env.AUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
}

/** An absolute URL for a path of the app. */
export function publicUrl(path: string) {
  return new URL(path, publicOrigin()).toString();
}
