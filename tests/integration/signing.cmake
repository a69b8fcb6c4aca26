# Issue 14, authenticated manifests: backups sign their manifests with the installation key (file secret store),
# restore/verify/download/catalog rebuild report the signer and refuse a manifest changed in storage (local disk and
# the real s3rver bucket), --require-signed refuses unsigned manifests and unknown signers, `keys trust` turns
# another installation's key into a known one; the key table works on a PostgreSQL team catalog too.
lifeboat_add_test(tst_manifest_signing SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_manifest_signing.cpp
    LIBS lifeboat_secrets LABELS integration FIXTURES "pg;s3" TIMEOUT 900)
add_dependencies(tst_manifest_signing lifeboatctl)
