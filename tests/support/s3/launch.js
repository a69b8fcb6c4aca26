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
