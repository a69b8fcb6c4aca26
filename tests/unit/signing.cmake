# Issue 14, authenticated manifests: Ed25519 (RFC 8032 vectors), the canonical bytes a signature covers, and every
# verdict of ManifestVerifier on real signatures.
lifeboat_add_test(tst_manifest_signing_unit SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_manifest_signing_unit.cpp
    LIBS lifeboat_jobs LABELS unit)
