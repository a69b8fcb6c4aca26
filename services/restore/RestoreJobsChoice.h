#pragma once

#include <QString>

namespace lifeboat {

// How many pg_restore jobs a restore runs when the caller left the choice to Lifeboat (RestoreOptions::kAutoJobs,
// `lifeboatctl restore` without --jobs). pg_restore --jobs runs whole archive items side by side — each table's
// COPY, each index build, each foreign key check — so it pays on a database of several tables; it needs a seekable
// archive, so a Lifeboat NAME.dump.zst must first be decompressed once into the private scratch directory (zstd at
// GB/s: seconds for a GB). The choice stays with one streamed job wherever that copy would cost more than it
// gives, or would write what should not be written:
//  * an encrypted archive: its plaintext is not put on disk unless --jobs asks for it;
//  * --tables or --schema-only: little or no data to spread;
//  * fewer than two tables with data, or one table holding most of the rows (the manifest's row counts): one COPY
//    cannot be split, and the copy's cost would come on top of it (measured: docs/performance.md);
//  * a decompressed copy whose size is not recorded, or does not fit in the scratch file system with room to spare.
class RestoreJobsChoice {
public:
    static constexpr int kParallelJobs = 2;         // measured on 2 cores shared with the server (docs/performance.md)
    static constexpr int kLargestTablePercent = 75; // above this share of the rows, one table dominates: stream

    struct Input {
        bool customOrDirectory = false; // a pg_dump custom archive, or Lifeboat's directory backup (unpacked)
        QString inputDescription;       // "pg_dump tar archive", for the reason given
        bool encrypted = false;
        bool tablesChosen = false;
        bool schemaOnly = false;
        int tablesWithData = 0;             // TABLE DATA entries of the archive
        qint64 rowsTotal = -1;              // the manifest's row counts (-1: no manifest): all tables ...
        qint64 rowsLargest = -1;            // ... and the largest one
        bool needsDecompressedCopy = false; // no seekable file yet (a .dump.zst)
        qint64 decompressedBytes = -1;      // the archive's size before Lifeboat compressed it; -1: not recorded
        qint64 scratchFreeBytes = -1;       // free in the scratch file system; -1: unknown
        QString scratchDir;
        bool desktopWording = false; // the reason names the wizard's fields instead of lifeboatctl's options
    };
    // The jobs (1: streamed) and, in *why, the reason in words for the log and --json ("jobsChoice").
    static int choose(const Input &in, QString *why);
};

} // namespace lifeboat
