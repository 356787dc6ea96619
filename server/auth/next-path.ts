/** Where to go after signing in: a path on this site only (an invitation link), never another
 *  host ("//evil.example" or "/\\evil"), else the library. */
export function safeNext(value: FormDataEntryValue | string | null | undefined) {
  const next = typeof value === "string" ? value : "";
  return /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) ? next : "/videos";
}
