// Benchmark: list 10,000 objects of the S3 fixture, 1,000 per page (ListObjectsV2 with continuation tokens), as
// the bucket browser and `catalog rebuild` do. Uploads the objects first (not timed as part of the listing).
#include "TestEnv.h"

#include "storage/S3Session.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <cstdio>

using namespace lifeboat;

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 10000;
    const auto s3 = TestEnv::fixture(QStringLiteral("s3"));
    if (s3.isEmpty()) {
        std::fprintf(stderr, "the s3 fixture is not running\n");
        return 1;
    }
    S3Config c;
    c.endpoint = QUrl(s3.value(QStringLiteral("S3_ENDPOINT")));
    c.bucket = s3.value(QStringLiteral("S3_BUCKET"));
    c.pathStyle = true;
    c.accessKeyId = s3.value(QStringLiteral("S3_ACCESS_KEY"));
    c.secretAccessKey = s3.value(QStringLiteral("S3_SECRET_KEY"));
    S3Session session(c);
    const QString prefix = QStringLiteral("bench-list-%1/").arg(QCoreApplication::applicationPid());
    QTextStream out(stdout);

    QElapsedTimer t;
    t.start();
    for (int i = 0; i < count; ++i) {
        const Error e = session.putObject(prefix + QStringLiteral("daily/2026-11-%1/obj-%2.dump")
                                                       .arg(1 + i % 28, 2, 10, QLatin1Char('0'))
                                                       .arg(i, 6, 10, QLatin1Char('0')),
                                          QByteArray("x"));
        if (e) {
            std::fprintf(stderr, "put failed: %s\n", qPrintable(e.message));
            return 1;
        }
    }
    out << "uploaded " << count << " objects in " << t.elapsed() << " ms\n";

    for (int round = 1; round <= 3; ++round) {
        S3ListResult all;
        t.restart();
        const Error e = session.listAll(prefix, QString(), &all, 1000);
        const qint64 ms = t.elapsed();
        if (e || all.objects.size() != count) {
            std::fprintf(stderr, "list failed: %s (%lld objects)\n", qPrintable(e.message),
                         static_cast<long long>(all.objects.size()));
            return 1;
        }
        out << "round " << round << ": listed " << all.objects.size() << " objects (" << (count + 999) / 1000
            << " pages) in " << ms << " ms\n";
        out.flush();
    }
    S3ListResult folders;
    t.restart();
    session.listAll(prefix + QStringLiteral("daily/"), QStringLiteral("/"), &folders, 1000);
    out << "one level with delimiter (" << folders.commonPrefixes.size() << " folders) in " << t.elapsed() << " ms\n";
    return 0;
}
