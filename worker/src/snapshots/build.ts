import { hex } from '@scure/base';
import { bodyStatement, FORMATS, listStatement, type FormatName, type IndicatorKind, type Reason, type SnapshotMeta } from '../../../shared';
import { EPOCH, readHead, type ListHead } from '../db/changes';
import { sign, signatureHeader } from '../signing';
import { IMMUTABLE, versionCacheKey } from './cache';
import { readListAtVersion } from './read-at-version';

export interface SnapshotRequest {
  format: FormatName;
  kind?: IndicatorKind;
  reason?: Reason;
}

const cacheKey = (version: number, r: SnapshotRequest, part: 'body' | 'meta') =>
  versionCacheKey(version, `${r.format}/${part}?kind=${r.kind ?? ''}&reason=${r.reason ?? ''}`);

function snapshotStream(db: D1Database, request: SnapshotRequest, meta: SnapshotMeta): ReadableStream<Uint8Array> {
  const format = FORMATS[request.format];
  const kinds = request.kind ? [request.kind] : format.kinds;
  const encoder = new TextEncoder();
  const pages = readListAtVersion(db, meta.version, { kinds, reason: request.reason });
  let index = 0;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(format.head(meta)));
        return;
      }
      const { value: page, done } = await pages.next();
      if (done) {
        controller.enqueue(encoder.encode(format.tail(meta)));
        controller.close();
        return;
      }
      let chunk = '';
      for (const entry of page) chunk += await format.row(entry, index++);
      controller.enqueue(encoder.encode(chunk));
    },
  });
}

interface CachedMeta extends SnapshotMeta {
  sha256: string;
  bodySignature: { keyId: string; alg: 'Ed25519'; value: string };
}

/** Builds the snapshot into the cache in one streaming pass, hashing it on the way for the body signature. */
async function build(env: Env, request: SnapshotRequest, head: ListHead): Promise<CachedMeta> {
  const { version, checksum } = head;
  // Dated by when the list reached this version, never by when the file was written: a rebuild after the
  // cache lost it gives the same bytes, so the ETag, body hash and body signature a partner holds stay true.
  const meta: SnapshotMeta = { version, checksum, signature: await sign(env, listStatement(version, checksum)), generatedAt: head.at ?? EPOCH };
  const [forCache, forDigest] = snapshotStream(env.DB, request, meta).tee();
  const digest = new crypto.DigestStream('SHA-256');
  // The cache may refuse (an object over its size limit, or no cache at all on workers.dev); the digest
  // still completes, and the response then streams the same bytes again from D1.
  const [, hash] = await Promise.allSettled([
    caches.default.put(
      cacheKey(version, request, 'body'),
      new Response(forCache, { headers: { ...IMMUTABLE, 'content-type': FORMATS[request.format].contentType } }),
    ),
    forDigest.pipeTo(digest).then(() => digest.digest),
  ]);
  if (hash.status === 'rejected') throw hash.reason;
  const sha256 = hex.encode(new Uint8Array(hash.value));
  const cached: CachedMeta = { ...meta, sha256, bodySignature: await sign(env, bodyStatement(request.format, version, sha256)) };
  await caches.default.put(cacheKey(version, request, 'meta'), Response.json(cached, { headers: IMMUTABLE })).catch(() => undefined);
  return cached;
}

/** The list at its current version in the requested format: from the cache, or built and cached first. */
export async function snapshotResponse(env: Env, request: SnapshotRequest, ifNoneMatch: string | undefined): Promise<Response> {
  const head = await readHead(env.DB);
  const etag = `"v${head.version}-${request.format}-${request.kind ?? 'all'}-${request.reason ?? 'all'}"`;
  const base = { etag, 'cache-control': 'private, no-cache', 'x-list-version': String(head.version), 'x-list-checksum': head.checksum };
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag)) return new Response(null, { status: 304, headers: base });

  let meta = (await (await caches.default.match(cacheKey(head.version, request, 'meta')))?.json<CachedMeta>()) ?? null;
  let body = meta ? await caches.default.match(cacheKey(head.version, request, 'body')) : undefined;
  if (!meta || !body) {
    meta = await build(env, request, head);
    body = await caches.default.match(cacheKey(head.version, request, 'body'));
  }
  // Snapshot bytes are a function of the version and meta alone, so streaming them again matches the digest.
  const stream = body?.body ?? snapshotStream(env.DB, request, meta);
  const format = FORMATS[request.format];
  return new Response(stream, {
    headers: {
      ...base,
      'content-type': format.contentType,
      'content-disposition': `inline; filename="flagline-v${head.version}.${format.extension}"`,
      'flagline-signature': signatureHeader(meta.signature),
      'flagline-body-sha256': meta.sha256,
      'flagline-body-signature': signatureHeader(meta.bodySignature),
    },
  });
}
