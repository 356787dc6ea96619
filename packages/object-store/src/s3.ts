// The store on any S3-compatible service (AWS S3, MinIO, R2, Garage, Ceph…) through the AWS
// SDK v3. Objects appear under their key only when a put (or the last part of a multipart
// upload) completes, so a reader never sees a partial object. The SDK retries throttling and
// 5xx answers with backoff; what is left is a StoreError naming the store and the reason.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { checkedKey, checkedPrefix } from "./keys.ts";
import { ObjectNotFoundError, StoreError, type ByteRange, type ObjectInfo, type ObjectStore } from "./types.ts";

export type S3Settings = {
  bucket: string;
  region: string;
  endpoint?: string;
  /** Addresses objects as endpoint/bucket/key (MinIO and most self-hosted stores need it). */
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Every key is stored under this prefix ("aura/"), so one bucket can hold other things too. */
  prefix?: string;
  /** Objects larger than this go up in parts of this size. */
  partSizeBytes?: number;
};

// The SDK is pinned to releases that support Node 20 (later ones need Node 22); its notice
// that later releases will need Node 22 is known, and would repeat in every process's log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** 8 MB parts: S3's minimum is 5 MB, and two in flight keep memory bounded. */
const PART_SIZE = 8 * 1024 * 1024;

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
/** The object is missing (not the bucket: a missing bucket is a setting to fix). */
const isNotFound = (error: unknown) =>
  (error as Error).name !== "NoSuchBucket" && (statusOf(error) === 404 || ["NoSuchKey", "NotFound"].includes((error as Error).name));

export class S3Store implements ObjectStore {
  readonly kind = "s3" as const;
  readonly client: S3Client;
  private readonly prefix: string;

  constructor(readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined,
      maxAttempts: 4,
    });
    this.prefix = settings.prefix ? checkedPrefix(settings.prefix) : "";
  }

  get description() {
    return `S3 bucket ${this.settings.bucket}${this.settings.endpoint ? ` at ${this.settings.endpoint}` : ""}`;
  }

  private objectKey(key: string) {
    return this.prefix + checkedKey(key);
  }

  /** An SDK failure as a StoreError that names the store, the operation and the reason. */
  private failure(operation: string, key: string, error: unknown): StoreError {
    if (error instanceof StoreError) return error;
    const status = statusOf(error);
    const name = error instanceof S3ServiceException ? error.name : ((error as Error).name ?? "Error");
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    const reason =
      status === 403 || name === "InvalidAccessKeyId" || name === "SignatureDoesNotMatch"
        ? "the store refused the credentials (S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY)"
        : name === "NoSuchBucket"
          ? `the bucket ${this.settings.bucket} does not exist (S3_BUCKET)`
          : !status
            ? `the store cannot be reached (S3_ENDPOINT${this.settings.endpoint ? "" : ", S3_REGION"}): ${code ?? (error as Error).message}`
            : `${name} (HTTP ${status}): ${(error as Error).message}`;
    const retriable = !status || status >= 500 || status === 429;
    return new StoreError(`storage (${this.description}) ${operation} ${key}: ${reason}`, retriable, { cause: error });
  }

  async put(key: string, data: Buffer, options: { contentType?: string } = {}) {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.settings.bucket,
          Key: this.objectKey(key),
          Body: data,
          ContentLength: data.length,
          ContentType: options.contentType,
        }),
      );
    } catch (error) {
      throw this.failure("put", key, error);
    }
    return { key, bytes: data.length, sha256: createHash("sha256").update(data).digest("hex") };
  }

  async putFile(key: string, file: string, options: { contentType?: string } = {}) {
    const { size } = await stat(file);
    try {
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.settings.bucket, Key: this.objectKey(key), Body: createReadStream(file), ContentType: options.contentType },
        partSize: this.settings.partSizeBytes ?? PART_SIZE,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
    } catch (error) {
      throw this.failure(`upload (${size} bytes)`, key, error);
    }
    await rm(file, { force: true });
  }

  async getBuffer(key: string) {
    const found = await this.read(key);
    if (!found) throw new ObjectNotFoundError(key);
    const chunks: Buffer[] = [];
    for await (const chunk of found.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async read(key: string, range?: ByteRange) {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      const total = answer.ContentRange ? Number(answer.ContentRange.split("/")[1]) : answer.ContentLength;
      return { body: answer.Body as Readable, info: { bytes: total ?? 0, contentType: answer.ContentType } };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw this.failure("read", key, error);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      return { bytes: answer.ContentLength ?? 0, contentType: answer.ContentType };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw this.failure("head", key, error);
    }
  }

  async download(key: string, file: string, options: { signal?: AbortSignal } = {}) {
    const found = await this.read(key);
    if (!found) throw new ObjectNotFoundError(key);
    const staging = `${file}.partial`;
    try {
      await pipeline(found.body, createWriteStream(staging), { signal: options.signal });
      await rename(staging, file);
    } catch (error) {
      await rm(staging, { force: true });
      throw this.failure("download", key, error);
    }
  }

  localPath() {
    return null;
  }

  async delete(key: string) {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      if (!isNotFound(error)) throw this.failure("delete", key, error);
    }
  }

  async deletePrefix(prefix: string) {
    const keys = await this.list(prefix);
    // One request per object: every S3-compatible store has DeleteObject, not all DeleteObjects.
    for (let i = 0; i < keys.length; i += 16) await Promise.all(keys.slice(i, i + 16).map((k) => this.delete(k)));
    return keys.length;
  }

  async list(prefix: string) {
    return (await this.listModified(prefix)).map((o) => o.key);
  }

  async listModified(prefix: string) {
    const found: { key: string; modifiedAt: Date }[] = [];
    let token: string | undefined;
    const full = this.prefix + checkedPrefix(prefix);
    try {
      do {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: full, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key) found.push({ key: o.Key.slice(this.prefix.length), modifiedAt: o.LastModified ?? new Date(0) });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw this.failure("list", prefix, error);
    }
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  async presignGet(key: string, options: { expiresSec: number; contentType?: string; downloadName?: string }) {
    const command = new GetObjectCommand({
      Bucket: this.settings.bucket,
      Key: this.objectKey(key),
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.downloadName ? `attachment; filename="${options.downloadName.replace(/["\\\r\n]/g, "_")}"` : undefined,
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresSec });
  }

  async check() {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
    } catch (error) {
      if (statusOf(error) === 404)
        throw new StoreError(`storage (${this.description}): the bucket ${this.settings.bucket} does not exist (S3_BUCKET)`, false, { cause: error });
      throw this.failure("check of bucket", this.settings.bucket, error);
    }
  }
}
