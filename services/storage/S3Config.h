#pragma once

#include "core/ExitCode.h"

#include <QString>
#include <QUrl>

namespace lifeboat {

// Where and how to reach one bucket. Secrets live here only in memory; callers fill them from the credential
// store or AwsCredentialChain, never from argv.
struct S3Config {
    QUrl endpoint; // https://s3.eu-west-1.amazonaws.com, http://127.0.0.1:9000; empty = AWS
    QString region = QStringLiteral("us-east-1");
    QString bucket;
    QString prefix;         // key prefix for Lifeboat's objects ("" or "team/db"), no leading '/'
    bool pathStyle = false; // https://host/bucket/key instead of https://bucket.host/key
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken;
    QString caFile; // extra PEM CA bundle trusted besides the system CAs
    // x-amz-storage-class of the objects this client creates (PutObject, CreateMultipartUpload); empty: the
    // bucket's default. Manifests are always written STANDARD (storageClassFor).
    QString storageClass;
    int timeoutMs = 60000;      // no progress for this long = a timed-out attempt (retried)
    int retries = 4;            // attempts after the first for 5xx/429/SlowDown/timeouts/resets
    int retryBaseDelayMs = 250; // back-off: base × 2^attempt, jittered in [½, 1]×, capped at 20 s

    // The endpoint actually used: the configured one, or AWS's regional endpoint.
    QUrl effectiveEndpoint() const;
    // prefix + "/" + relative (no doubled or leading slashes).
    QString keyFor(const QString &relative) const;
    // The class an upload of `key` is sent with: storageClass, except for manifests (`.manifest.json`), which
    // `catalog rebuild` and every restore read first and which would otherwise need a restore request of their own
    // in GLACIER or DEEP_ARCHIVE; and for WAL (keys under prefix/wal/), which gets storageClass only when that class
    // is readable without a restore request (STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR), else the
    // bucket's default: recovery reads WAL straight away.
    QString storageClassFor(const QString &key) const;
    // Usage error when something required is missing or malformed.
    Error validate() const;
};

} // namespace lifeboat
