import { ifNoneMatchHas } from '../middleware/etag-match';
import { hex } from '@scure/base';
import {
  bodyStatement,
  FORMATS,
  fileSignatureText,
  fileStatement,
  formatWriter,
  listStatement,
  type FormatName,
  type IndicatorKind,
  type Reason,
  type SnapshotMeta,
} from '../../../shared';
import { EPOCH, readHead } from '../db/changes';
import { readSnapshotDigest, saveSnapshotDigest } from '../db/snapshots';
import { sign, signatureHeader, signingKey } from '../signing';
import { IMMUTABLE, versionCacheKey } from './cache';
import { readListAtVersion } from './read-at-version';

export interface SnapshotRequest {
  format: FormatName;
  kind?: IndicatorKind;
  reason?: Reason;
}

/**
 * What a snapshot is, apart from its version: its format and filters, and the key its signature line is made with
 * (after a key rotation a file is signed anew, so a partner who pinned only the new key can verify it).
 */
const nameOf = (r: SnapshotRequest, keyId: string) => `${r.format}?kind=${r.kind ?? ''}&reason=${r.reason ?? ''}&key=${keyId}`;
const bodyKey = (version: number, r: SnapshotRequest, keyId: string) =>
  versionCacheKey(version, `${r.format}/body?kind=${r.kind ?? ''}&reason=${r.reason ?? ''}&key=${keyId}`);

const CHUNK_CHARS = 64 * 1024;

/** The file up to its signature line: head, rows, and the format's signed lead (the line follows once all is hashed). */
function snapshotStream(db: D1Database, request: SnapshotRequest, meta: SnapshotMeta): ReadableStream<Uint8Array> {
  const format = FORMATS[request.format];
  const file = formatWriter(format, meta);
  const kinds = request.kind ? [request.kind] : format.kinds;
  const encoder = new TextEncoder();
  const pages = readListAtVersion(db, meta.version, { kinds, reason: request.reason });
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(file.head()));
        return;
      }
      const { value: page, done } = await pages.next();
      if (done) {
        controller.enqueue(encoder.encode(file.signedLead()));
        controller.close();
        return;
      }
      // Chunks of about 64 KB, not one per page: a page of STIX is 6 MB, and strings that large live in V8's
      // large-object space until a full collection, where small short-lived ones go with the next scavenge.
      let chunk = '';
      for (const entry of page) {
        chunk += await file.row(entry);
        if (chunk.length >= CHUNK_CHARS) {
          controller.enqueue(encoder.encode(chunk));
          chunk = '';
        }
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
    },
  });
}

/**
 * Streams a snapshot from D1 to the client while the same bytes go into the Cache API and a SHA-256 digest.
 * One pass, pulled by the client: a page of rows is read only when the client wants more, and each chunk is
 * handed to the cache before the next is read, so memory holds about one page whatever the list's size (a
 * tee() would buffer everything the slower side had not taken yet: nearly the whole body). When the last
 * byte is out, the digest is kept in D1 for the body signature of every later download.
 */
function streamWhileCaching(
  env: Env,
  ctx: { waitUntil(promise: Promise<unknown>): void },
  request: SnapshotRequest,
  meta: SnapshotMeta,
): ReadableStream<Uint8Array> {
  const source = snapshotStream(env.DB, request, meta).getReader();
  // Two digests of one pass: what the file's signature line signs (every byte before it), and the whole file.
  const signedPart = new crypto.DigestStream('SHA-256');
  const signedPartWriter = signedPart.getWriter();
  const digest = new crypto.DigestStream('SHA-256');
  const digestWriter = digest.getWriter();
  const toCache = new TransformStream<Uint8Array, Uint8Array>();
  const cacheWriter = toCache.writable.getWriter();
  let caching = true;
  // The cache may refuse (an object over its size limit, or no cache at all on workers.dev): the client
  // still gets every byte, and the digest is still kept.
  const cached = caches.default
    .put(
      bodyKey(meta.version, request, meta.signature.keyId),
      new Response(toCache.readable, { headers: { ...IMMUTABLE, 'content-type': FORMATS[request.format].contentType } }),
    )
    .catch(() => {
      caching = false;
    });
  // The digest is saved last, once the cache holds the whole body: a reader that finds the digest may read the
  // cache without meeting a half-written entry (a local cache read of one waits on it).
  const finish = async () => {
    if (caching) await cacheWriter.close().catch(() => undefined);
    await digestWriter.close();
    await cached;
    await saveSnapshotDigest(env.DB, meta.version, nameOf(request, meta.signature.keyId), hex.encode(new Uint8Array(await digest.digest)));
  };
  // Registered now, not at the last byte: by then the runtime may count the request as finished, and the
  // cache entry would never be closed (a later read of it would wait on the unfinished write forever).
  let settle: (finishing: Promise<unknown>) => void = () => {};
  ctx.waitUntil(new Promise<unknown>((resolve) => (settle = (finishing) => resolve(finishing.catch(() => undefined)))));
  const pass = async (controller: ReadableStreamDefaultController<Uint8Array>, value: Uint8Array) => {
    controller.enqueue(value);
    await digestWriter.write(value);
    if (caching) await Promise.race([cacheWriter.write(value), cached]).catch(() => (caching = false));
  };
  /** The file's last line: its signature over every byte sent before it. */
  const signatureLine = async () => {
    await signedPartWriter.close();
    const sha256 = hex.encode(new Uint8Array(await signedPart.digest));
    const signature = await sign(env, fileStatement(request.format, meta.version, sha256));
    return new TextEncoder().encode(formatWriter(FORMATS[request.format], meta).signatureLine(fileSignatureText(request.format, meta.version, signature)));
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await source.read();
        if (done) {
          await pass(controller, await signatureLine());
          controller.close();
          settle(finish());
          return;
        }
        await signedPartWriter.write(value);
        await pass(controller, value);
      },
      cancel(reason) {
        // The client went away: nothing half-written is cached, and no digest is kept.
        settle(Promise.allSettled([source.cancel(reason), cacheWriter.abort(reason), digestWriter.abort(reason), signedPartWriter.abort(reason)]));
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The list at its current version in the requested format. A cached copy goes out as it is; otherwise the
 * bytes stream from D1 as they are built (the first byte within a page's read, at any size) and are cached
 * on the way. Every file ends with its own signature line, the first download's too (file-signature.ts). The
 * whole body's SHA-256 and header signature are known once a download has run to the end: every download after
 * the first carries them as well. A HEAD
 * (`headOnly`) answers the same headers and builds nothing.
 */
export async function snapshotResponse(
  env: Env,
  ctx: { waitUntil(promise: Promise<unknown>): void },
  request: SnapshotRequest,
  ifNoneMatch: string | undefined,
  headOnly = false,
): Promise<Response> {
  const head = await readHead(env.DB);
  // Named by the signing key too: after a rotation the same version's file ends with a new signature line.
  const { keyId } = await signingKey(env);
  const etag = `"v${head.version}-${request.format}-${request.kind ?? 'all'}-${request.reason ?? 'all'}-${keyId}"`;
  const base = { etag, 'cache-control': 'private, no-cache', 'x-list-version': String(head.version), 'x-list-checksum': head.checksum };
  if (ifNoneMatchHas(ifNoneMatch, etag)) return new Response(null, { status: 304, headers: base });

  // Dated by when the list reached this version, never by when the file was written: a rebuild after the
  // cache lost it gives the same bytes, so the ETag, body hash and body signature a partner holds stay true.
  const meta: SnapshotMeta = {
    version: head.version,
    checksum: head.checksum,
    signature: await sign(env, listStatement(head.version, head.checksum)),
    generatedAt: head.at ?? EPOCH,
  };
  const sha256 = await readSnapshotDigest(env.DB, head.version, nameOf(request, meta.signature.keyId));
  const body = sha256 ? await caches.default.match(bodyKey(head.version, request, meta.signature.keyId)) : undefined;
  const format = FORMATS[request.format];
  const headers: Record<string, string> = {
    ...base,
    'content-type': format.contentType,
    'content-disposition': `inline; filename="flagline-v${head.version}.${format.extension}"`,
    'flagline-signature': signatureHeader(meta.signature),
  };
  if (sha256) {
    headers['flagline-body-sha256'] = sha256;
    headers['flagline-body-signature'] = signatureHeader(await sign(env, bodyStatement(request.format, head.version, sha256)));
  }
  // A HEAD reads no body: building one nobody pulls would stall the cache write until the runtime cancels it.
  if (headOnly) {
    await body?.body?.cancel();
    return new Response(null, { headers });
  }
  return new Response(body?.body ?? streamWhileCaching(env, ctx, request, meta), { headers });
}
