#include "storage/S3Xml.h"

#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace lifeboat {

namespace {

QDateTime parseTime(const QString &s) {
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    return t.isValid() ? t : QDateTime::fromString(s, Qt::ISODate);
}

QString unquote(QString etag) {
    if (etag.size() >= 2 && etag.startsWith(QLatin1Char('"')) && etag.endsWith(QLatin1Char('"')))
        etag = etag.mid(1, etag.size() - 2);
    return etag;
}

} // namespace

bool S3Xml::parseBuckets(const QByteArray &xml, QList<S3Bucket> *out) {
    QXmlStreamReader r(xml);
    S3Bucket current;
    bool inBucket = false;
    bool sawRoot = false;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement()) {
            const auto name = r.name();
            if (name == QLatin1String("ListAllMyBucketsResult"))
                sawRoot = true;
            else if (name == QLatin1String("Bucket")) {
                inBucket = true;
                current = {};
            } else if (inBucket && name == QLatin1String("Name"))
                current.name = r.readElementText();
            else if (inBucket && name == QLatin1String("CreationDate"))
                current.created = parseTime(r.readElementText());
        } else if (r.isEndElement() && r.name() == QLatin1String("Bucket")) {
            inBucket = false;
            out->append(current);
        }
    }
    return sawRoot && !r.hasError();
}

bool S3Xml::parseList(const QByteArray &xml, S3ListResult *out) {
    QXmlStreamReader r(xml);
    bool sawRoot = false;
    bool inContents = false, inPrefixes = false;
    S3ObjectInfo obj;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement()) {
            const auto name = r.name();
            if (name == QLatin1String("ListBucketResult")) {
                sawRoot = true;
            } else if (name == QLatin1String("Contents")) {
                inContents = true;
                obj = {};
            } else if (name == QLatin1String("CommonPrefixes")) {
                inPrefixes = true;
            } else if (inContents) {
                if (name == QLatin1String("Key"))
                    obj.key = r.readElementText();
                else if (name == QLatin1String("Size"))
                    obj.size = r.readElementText().toLongLong();
                else if (name == QLatin1String("LastModified"))
                    obj.lastModified = parseTime(r.readElementText());
                else if (name == QLatin1String("ETag"))
                    obj.etag = unquote(r.readElementText());
                else if (name == QLatin1String("StorageClass"))
                    obj.storageClass = r.readElementText();
            } else if (inPrefixes && name == QLatin1String("Prefix")) {
                out->commonPrefixes.append(r.readElementText());
            } else if (name == QLatin1String("IsTruncated")) {
                out->truncated = r.readElementText().trimmed() == QLatin1String("true");
            } else if (name == QLatin1String("NextContinuationToken")) {
                out->nextContinuationToken = r.readElementText();
            }
        } else if (r.isEndElement()) {
            if (r.name() == QLatin1String("Contents")) {
                inContents = false;
                out->objects.append(obj);
            } else if (r.name() == QLatin1String("CommonPrefixes")) {
                inPrefixes = false;
            }
        }
    }
    return sawRoot && !r.hasError();
}

QString S3Xml::parseUploadId(const QByteArray &xml) {
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement() && r.name() == QLatin1String("UploadId"))
            return r.readElementText();
    }
    return {};
}

bool S3Xml::parseMultipartUploads(const QByteArray &xml, S3UploadList *out) {
    QXmlStreamReader r(xml);
    bool sawRoot = false;
    bool inUpload = false;
    S3MultipartUpload upload;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement()) {
            const auto name = r.name();
            if (name == QLatin1String("ListMultipartUploadsResult")) {
                sawRoot = true;
            } else if (name == QLatin1String("Upload")) {
                inUpload = true;
                upload = {};
            } else if (inUpload) {
                if (name == QLatin1String("Key"))
                    upload.key = r.readElementText();
                else if (name == QLatin1String("UploadId"))
                    upload.uploadId = r.readElementText();
                else if (name == QLatin1String("Initiated"))
                    upload.initiated = parseTime(r.readElementText());
            } else if (name == QLatin1String("IsTruncated")) {
                out->truncated = r.readElementText().trimmed() == QLatin1String("true");
            } else if (name == QLatin1String("NextKeyMarker")) {
                out->nextKeyMarker = r.readElementText();
            } else if (name == QLatin1String("NextUploadIdMarker")) {
                out->nextUploadIdMarker = r.readElementText();
            }
        } else if (r.isEndElement() && r.name() == QLatin1String("Upload")) {
            inUpload = false;
            out->uploads.append(upload);
        }
    }
    return sawRoot && !r.hasError();
}

S3Xml::ErrorInfo S3Xml::parseError(const QByteArray &xml) {
    ErrorInfo e;
    QXmlStreamReader r(xml);
    bool inError = false;
    while (!r.atEnd()) {
        r.readNext();
        if (!r.isStartElement())
            continue;
        if (r.name() == QLatin1String("Error"))
            inError = true;
        else if (inError && r.name() == QLatin1String("Code"))
            e.code = r.readElementText();
        else if (inError && r.name() == QLatin1String("Message"))
            e.message = r.readElementText();
        else if (inError && r.name() == QLatin1String("StorageClass"))
            e.storageClass = r.readElementText();
    }
    return e;
}

QByteArray S3Xml::completeMultipartBody(const QList<S3Part> &parts) {
    QByteArray body;
    QXmlStreamWriter w(&body);
    w.writeStartDocument();
    w.writeStartElement(QStringLiteral("CompleteMultipartUpload"));
    w.writeDefaultNamespace(QStringLiteral("http://s3.amazonaws.com/doc/2006-03-01/"));
    for (const S3Part &p : parts) {
        w.writeStartElement(QStringLiteral("Part"));
        w.writeTextElement(QStringLiteral("PartNumber"), QString::number(p.number));
        w.writeTextElement(QStringLiteral("ETag"), p.etag);
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    return body;
}

} // namespace lifeboat
