import { storageKeySchema } from "@aura/render-contract";

/** The key, checked against the render contract's rule, or an error naming it. */
export function checkedKey(key: string) {
  if (!storageKeySchema.safeParse(key).success) throw new Error(`invalid storage key: ${JSON.stringify(key).slice(0, 200)}`);
  return key;
}

/** A prefix for listing and deleting: keys' segments followed by "/". */
export function checkedPrefix(prefix: string) {
  const bare = prefix.replace(/\/+$/, "");
  checkedKey(bare);
  return `${bare}/`;
}
