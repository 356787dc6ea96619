// What every store driver does. Keys follow the render contract's storage-key rule (never a
// URL, never an absolute path, never `..`); a driver refuses any other key. A reader never
// sees a partial object: writes land under their key only once complete.
import type { Readable } from "node:stream";

export type StoredObject = { key: string; bytes: number; sha256: string };
export type ObjectInfo = { bytes: number; contentType?: string };
/** Bytes `start` to `end`, both included, as in an HTTP Range. */
export type ByteRange = { start: number; end: number };

export interface ObjectStore {
  /** "local" or "s3", for health pages and logs. */
  readonly kind: "local" | "s3";
  /** Where the store is, without credentials: a directory, or endpoint and bucket. */
  readonly description: string;
  /** Writes bytes under a key and returns what an asset row records. */
  put(key: string, data: Buffer, options?: { contentType?: string }): Promise<StoredObject>;
  /** Moves a finished local file into the store under a key (the file is gone afterwards). */
  putFile(key: string, file: string, options?: { contentType?: string }): Promise<void>;
  /** The whole object; a missing key throws an ObjectNotFoundError. */
  getBuffer(key: string): Promise<Buffer>;
  /** A stream of the object, or of a range of it, with its size; null when there is no such object. */
  read(key: string, range?: ByteRange): Promise<{ body: Readable; info: ObjectInfo } | null>;
  /** The object's size, or null when there is no such object. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Copies the object into a local file (written whole, then renamed into place). */
  download(key: string, file: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** The file behind a key when the store is a local directory (no copy needed), else null. */
  localPath(key: string): string | null;
  /** Removes one object; a missing one is no error. */
  delete(key: string): Promise<void>;
  /** Removes every object under a prefix ("workspaces/w1/"); returns how many went. */
  deletePrefix(prefix: string): Promise<number>;
  /** Keys under a prefix. */
  list(prefix: string): Promise<string[]>;
  /** Keys under a prefix with when each was last written. */
  listModified(prefix: string): Promise<{ key: string; modifiedAt: Date }[]>;
  /** A short-lived URL the browser may fetch the object from directly, or null when the store has none. */
  presignGet(key: string, options: { expiresSec: number; contentType?: string; downloadName?: string }): Promise<string | null>;
  /** Can the store be reached and written? Throws a StoreError saying why not. */
  check(): Promise<void>;
}

/** The store could not be used: names the store and the reason. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class ObjectNotFoundError extends StoreError {
  constructor(readonly key: string) {
    super(`no object ${key} in storage`, false);
  }
}
