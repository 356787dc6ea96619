// A session cookie as Auth.js issues it at sign-in, for tests and benches that call the app
// over HTTP without going through the sign-in page.
import { encode } from "next-auth/jwt";

/** The cookie of a signed-in user (the token Aura's jwt callback writes); over https its name
 *  starts with __Secure-. */
export async function sessionCookie(userId: string, { secret = process.env.AUTH_SECRET!, name = "authjs.session-token", maxAge = 3600 } = {}) {
  const token = await encode({ token: { sub: userId, uid: userId }, secret, salt: name, maxAge });
  return `${name}=${token}`;
}
