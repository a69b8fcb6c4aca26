#include "restore/RestoreJobsChoice.h"

#include <QLocale>

namespace lifeboat {

int RestoreJobsChoice::choose(const Input &in, QString *why) {
    auto streamed = [why](const QString &reason) {
        *why = QStringLiteral("one pg_restore job: ") + reason;
        return 1;
    };
    if (!in.customOrDirectory)
        return streamed(
            QStringLiteral("%1 (pg_restore --jobs needs a custom or directory archive)").arg(in.inputDescription));
    // The wizard's log speaks of its fields (Parallel jobs, Content, the chosen tables), lifeboatctl's of options.
    const bool desk = in.desktopWording;
    if (in.encrypted)
        return streamed(desk ? QStringLiteral("the archive is encrypted, and its plaintext is not written to disk "
                                              "unless Parallel jobs is set to a number")
                             : QStringLiteral("the archive is encrypted, and its plaintext is not written to disk "
                                              "unless --jobs asks for it"));
    if (in.tablesChosen || in.schemaOnly)
        return streamed(in.schemaOnly ? (desk ? QStringLiteral("schema only") : QStringLiteral("--schema-only"))
                                      : (desk ? QStringLiteral("chosen tables only") : QStringLiteral("--tables")));
    if (in.tablesWithData < 2)
        return streamed(QStringLiteral("%1 table(s) with data, nothing to run side by side").arg(in.tablesWithData));
    if (in.rowsTotal > 0 && in.rowsLargest * 100 > in.rowsTotal * kLargestTablePercent)
        return streamed(QStringLiteral("one table holds %1 % of the rows, nothing to run side by side")
                            .arg(in.rowsLargest * 100 / in.rowsTotal));
    const int jobs = qMin(kParallelJobs, in.tablesWithData);
    if (!in.needsDecompressedCopy) {
        *why = QStringLiteral("pg_restore --jobs %1 (%2 tables with data)").arg(jobs).arg(in.tablesWithData);
        return jobs;
    }
    if (in.decompressedBytes < 0)
        return streamed(QStringLiteral("the decompressed size is not recorded (a backup from before Lifeboat "
                                       "recorded it), so the room for a decompressed copy cannot be checked"));
    // Room for the copy plus a margin, so the restore never fills the disk it shares with others.
    const qint64 need = in.decompressedBytes + in.decompressedBytes / 20 + (qint64(256) << 20);
    const QLocale c = QLocale::c();
    if (in.scratchFreeBytes < need)
        return streamed(QStringLiteral("%1 free in %2, a decompressed copy needs %3")
                            .arg(in.scratchFreeBytes < 0 ? QStringLiteral("unknown space")
                                                         : c.formattedDataSize(in.scratchFreeBytes),
                                 in.scratchDir, c.formattedDataSize(need)));
    *why = QStringLiteral("pg_restore --jobs %1 (%2 tables with data; the archive is decompressed once into the "
                          "private scratch directory, %3)")
               .arg(jobs)
               .arg(in.tablesWithData)
               .arg(c.formattedDataSize(in.decompressedBytes));
    return jobs;
}

} // namespace lifeboat
