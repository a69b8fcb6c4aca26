#pragma once

#include <QString>

#include <optional>

namespace lifeboat {

// Object keys come from a bucket, so they are untrusted input: a download must never write outside the
// directory the user chose. Keys with "..", "." or empty segments, absolute paths, backslashes, drive letters or
// any ':' (Windows alternate streams), NUL or other control characters are refused, never "fixed" into some
// other name the user did not ask for; so are keys that name a folder (trailing '/'), and paths that would pass
// through a symbolic link leading out of the directory.
class S3KeyPaths {
public:
    // downloadDir joined with the key's segments ("a/b/c.dump" -> DIR/a/b/c.dump); nullopt with *reason set when
    // the key is refused.
    static std::optional<QString> safeLocalPath(const QString &downloadDir, const QString &key,
                                                QString *reason = nullptr);
    // Only the last segment of the key, checked the same way (for "s3 get KEY --to DIR").
    static std::optional<QString> safeLocalFileName(const QString &downloadDir, const QString &key,
                                                    QString *reason = nullptr);
};

} // namespace lifeboat
