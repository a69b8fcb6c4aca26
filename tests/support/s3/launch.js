// Starts s3rver for Lifeboat's tests: node launch.js DATA_DIR BUCKET[,BUCKET...] [PORT]
// With S3RVER_CERT and S3RVER_KEY (PEM files) set, it serves https instead of http.
// Listens on 127.0.0.1 (port 0 = any free port), creates the buckets, then prints one line
// "S3RVER_READY <port>" on stdout so the caller knows the server answers. Credentials are s3rver's fixed
// S3RVER/S3RVER. SIGTERM/SIGINT close the server.
'use strict'

// s3rver 5.0.0 calls Array.prototype.toReversed (Node 20+); Debian 12 ships Node 18.
if (!Array.prototype.toReversed) {
  Object.defineProperty(Array.prototype, 'toReversed', {
    value: function toReversed() {
      return this.slice().reverse()
    },
    writable: true,
    configurable: true,
  })
}

// s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 only offers in its legacy
// provider (so every truncated listing answered 500). Two-key triple DES with both keys equal computes exactly
// DES (E_k(D_k(E_k(x))) = E_k(x)) and is in the default provider.
const crypto = require('node:crypto')
for (const name of ['createCipheriv', 'createDecipheriv']) {
  const original = crypto[name]
  crypto[name] = function (algorithm, key, iv, options) {
    if (typeof algorithm === 'string' && ['des', 'des-cbc'].includes(algorithm.toLowerCase())) {
      const k = Buffer.from(key)
      return original.call(this, 'des-ede-cbc', Buffer.concat([k, k]), iv, options)
    }
    return original.call(this, algorithm, key, iv, options)
  }
}

const S3rver = require('@20minutes/s3rver')

const [dataDir, buckets = 'lifeboat-test', port = '0'] = process.argv.slice(2)
if (!dataDir) {
  console.error('usage: node launch.js DATA_DIR BUCKET[,BUCKET...] [PORT]')
  process.exit(3)
}

const fs = require('node:fs')
const tls =
  process.env.S3RVER_CERT && process.env.S3RVER_KEY
    ? { cert: fs.readFileSync(process.env.S3RVER_CERT), key: fs.readFileSync(process.env.S3RVER_KEY) }
    : {}

const server = new S3rver({
  ...tls,
  address: '127.0.0.1',
  port: Number(port),
  directory: dataDir,
  silent: !process.env.S3RVER_VERBOSE,
  configureBuckets: buckets
    .split(',')
    .filter(Boolean)
    .map((name) => ({ name })),
})

// Every request as one line "METHOD URL" in DATA_DIR/../requests.log (the fixture's S3_BASE), written before the
// request is handled, so a test can count what a client sent (a restore GETs an object once).
const path = require('node:path')
const requestLog = path.join(dataDir, '..', 'requests.log')
// s3rver ignores If-None-Match on writes. S3 refuses to create an object that already exists when a PutObject or
// CompleteMultipartUpload carries "If-None-Match: *" (412 PreconditionFailed); so does this server, so tests see
// two writers of one key fail the way they would on S3. Path-style requests only (all the tests use them).
// s3rver keeps the destination's old .md5 file (its ETag) when a CopyObject replaces the metadata
// (x-amz-metadata-directive: REPLACE); S3 gives the copy the MD5 of its content. Drop the stale file first, so
// s3rver computes it again from the copied object.
const copyObject = server.store.copyObject.bind(server.store)
server.store.copyObject = async (srcBucket, srcKey, destBucket, destKey, replacementMetadata) => {
  if (replacementMetadata && (srcBucket !== destBucket || srcKey !== destKey))
    await fs.promises.rm(server.store.getResourcePath(destBucket, destKey, 'object.md5'), { force: true })
  return copyObject(srcBucket, srcKey, destBucket, destKey, replacementMetadata)
}
server.middleware.unshift(async (ctx, next) => {
  fs.appendFileSync(requestLog, `${ctx.method} ${ctx.url}\n`)
  const create =
    (ctx.method === 'PUT' && ctx.query.partNumber === undefined && !ctx.get('x-amz-copy-source')) ||
    (ctx.method === 'POST' && ctx.query.uploadId !== undefined)
  if (create && ctx.get('if-none-match') === '*') {
    const m = /^\/([^/]+)\/(.+)$/.exec(ctx.path)
    if (m && (await server.store.existsObject(m[1], decodeURIComponent(m[2])))) {
      ctx.status = 412
      ctx.type = 'application/xml'
      ctx.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of ' +
        'the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>'
      return
    }
  }
  await next()
})

// ListMultipartUploads (GET /BUCKET?uploads) and AbortMultipartUpload (DELETE /BUCKET/KEY?uploadId=ID): s3rver 5
// answers NotImplemented and 405 to them. Lifeboat's start-up recovery lists and aborts the uploads a killed run left
// open, so the fixture serves both from s3rver's own record of open uploads (DATA_DIR/BUCKET/._S3rver_uploads/ID/
// holding `key`, `metadata` and the parts), after s3rver's own signature check (SigV4 verified; unsigned requests
// are refused). The middleware runs just before s3rver's router.
const fsp = require('node:fs/promises')
const uploadPath = require('node:path') // named apart: the request log above has its own `path`
const authenticate = require('@20minutes/s3rver/lib/middleware/authentication')()
const S3Error = require('@20minutes/s3rver/lib/models/error')

async function openUploads(store, bucket) {
  const root = store.getResourcePath(bucket, undefined, 'uploads')
  let entries = []
  try {
    entries = await fsp.readdir(root, { withFileTypes: true })
  } catch (err) {
    if (err.code !== 'ENOENT') throw err
  }
  const uploads = []
  for (const e of entries) {
    if (!e.isDirectory()) continue
    const dir = uploadPath.join(root, e.name)
    try {
      const [key, stat] = await Promise.all([fsp.readFile(uploadPath.join(dir, 'key'), 'utf8'), fsp.stat(dir)])
      uploads.push({ key, uploadId: e.name, initiated: stat.birthtime.getTime() ? stat.birthtime : stat.mtime, dir })
    } catch (err) {
      if (err.code !== 'ENOENT') throw err // completed or aborted meanwhile
    }
  }
  uploads.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated - b.initiated))
  return uploads
}

function multipartUploads() {
  return async function multipartUploads(ctx, next) {
    const listing = ctx.method === 'GET' && 'uploads' in ctx.query
    const aborting = ctx.method === 'DELETE' && 'uploadId' in ctx.query
    if (!listing && !aborting) return next()
    let segments
    try {
      segments = ctx.path.split('/').slice(1).map(decodeURIComponent)
    } catch {
      return next()
    }
    const bucket = segments[0] || ''
    const key = segments.slice(1).join('/')
    if (!bucket || (listing && key) || (aborting && !key)) return next()
    ctx.params = { ...(ctx.params || {}), bucket, ...(key ? { key } : {}) }
    await authenticate(ctx, async () => {})
    if (!ctx.state.account) throw new S3Error('AccessDenied', 'Access Denied (this fixture wants signed requests)')
    if (!(await ctx.store.getBucket(bucket))) {
      throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket })
    }
    const uploads = await openUploads(ctx.store, bucket)
    if (aborting) {
      const found = uploads.find((u) => u.uploadId === ctx.query.uploadId && u.key === key)
      if (!found) {
        throw new S3Error(
          'NoSuchUpload',
          'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or ' +
            'completed.',
          { UploadId: String(ctx.query.uploadId) }
        )
      }
      await fsp.rm(found.dir, { recursive: true, force: true })
      ctx.status = 204
      return
    }
    const prefix = ctx.query.prefix || ''
    const keyMarker = ctx.query['key-marker'] || ''
    const uploadIdMarker = ctx.query['upload-id-marker'] || ''
    const maxUploads = Math.max(1, Math.min(1000, Number(ctx.query['max-uploads']) || 1000))
    const after = (u) =>
      !keyMarker || u.key > keyMarker || (u.key === keyMarker && uploadIdMarker !== '' && u.uploadId > uploadIdMarker)
    const matching = uploads.filter((u) => u.key.startsWith(prefix) && after(u))
    const page = matching.slice(0, maxUploads)
    const truncated = matching.length > page.length
    const last = page[page.length - 1]
    ctx.body = {
      ListMultipartUploadsResult: {
        '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
        Bucket: bucket,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
        ...(truncated ? { NextKeyMarker: last.key, NextUploadIdMarker: last.uploadId } : {}),
        Prefix: prefix,
        MaxUploads: maxUploads,
        IsTruncated: truncated,
        Upload: page.map((u) => ({
          Key: u.key,
          UploadId: u.uploadId,
          Initiator: { ID: 'S3RVER', DisplayName: 'S3RVER' },
          Owner: { ID: 'S3RVER', DisplayName: 'S3RVER' },
          StorageClass: 'STANDARD',
          Initiated: u.initiated.toISOString(),
        })),
      },
    }
  }
}
// Storage classes (issue 15): every request carrying x-amz-storage-class is logged as one line "METHOD URL CLASS
// signed|unsigned" in DATA_DIR/../storage-class.log (signed: the header is in the SigV4 SignedHeaders, which s3rver
// then verifies), so a test sees the class sent and signed. s3rver keeps the class with the object; like S3, a GET
// of an object in GLACIER or DEEP_ARCHIVE (never restored here) answers 403 InvalidObjectState.
const storageClassLog = path.join(dataDir, '..', 'storage-class.log')
function storageClasses() {
  return async function storageClasses(ctx, next) {
    const cls = ctx.get('x-amz-storage-class')
    if (cls) {
      const m = /SignedHeaders=([^,\s]+)/.exec(ctx.get('authorization') || '')
      const signed = m && m[1].split(';').includes('x-amz-storage-class') ? 'signed' : 'unsigned'
      fs.appendFileSync(storageClassLog, `${ctx.method} ${ctx.url} ${cls} ${signed}\n`)
    }
    if (ctx.method === 'GET') {
      const m = /^\/([^/]+)\/(.+)$/.exec(ctx.path)
      if (m) {
        let metadata
        try {
          metadata = JSON.parse(
            await fsp.readFile(server.store.getResourcePath(m[1], decodeURIComponent(m[2]), 'metadata.json'), 'utf8')
          )
        } catch {
          metadata = undefined // no such object, or not a path-style object GET: s3rver answers
        }
        if (metadata && ['GLACIER', 'DEEP_ARCHIVE'].includes(metadata['x-amz-storage-class'])) {
          ctx.params = { ...(ctx.params || {}), bucket: m[1], key: decodeURIComponent(m[2]) }
          await authenticate(ctx, async () => {})
          if (!ctx.state.account) throw new S3Error('AccessDenied', 'Access Denied (this fixture wants signed requests)')
          throw new S3Error('InvalidObjectState', 'The operation is not valid for the object\'s storage class', {
            StorageClass: metadata['x-amz-storage-class'],
          })
        }
      }
    }
    return next()
  }
}
server.middleware.splice(server.middleware.length - 1, 0, storageClasses())
// Koa composes server.middleware when the server starts listening: the router is the last entry.
server.middleware.splice(server.middleware.length - 1, 0, multipartUploads())

server.run().then(
  (address) => {
    process.stdout.write(`S3RVER_READY ${address.port}\n`)
  },
  (err) => {
    console.error(`s3rver failed to start: ${err.stack || err}`)
    process.exit(1)
  }
)

const stop = () => {
  server.close().finally(() => process.exit(0))
  setTimeout(() => process.exit(0), 2000).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
