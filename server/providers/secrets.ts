// Provider API keys at rest: AES-256-GCM with a key derived (HKDF) from PROVIDER_KEY_SECRET,
// or AUTH_SECRET when that is unset. The stored form is "v1.<iv>.<tag>.<ciphertext>" in base64url.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { getEnv } from "../env.ts";

function key() {
  const env = getEnv();
  return Buffer.from(hkdfSync("sha256", env.PROVIDER_KEY_SECRET ?? env.AUTH_SECRET, "aura", "provider-api-keys", 32));
}

export function encryptSecret(plain: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function decryptSecret(stored: string) {
  const [version, iv, tag, data] = stored.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("the stored key has an unknown format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("the stored key cannot be decrypted: was PROVIDER_KEY_SECRET or AUTH_SECRET changed? Enter the key again");
  }
}

/** What the browser may see of a key. */
export const maskKey = (last4: string | null) => (last4 ? `••••${last4}` : null);
