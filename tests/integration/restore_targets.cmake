# lifeboatctl restore over targets in use (sessions, --terminate-connections), post-restore commands, a password
# user, pg_restore's errors and a cancelled restore (label integration, pg fixture); the rest is tst_restore.
lifeboat_add_test(tst_restore_targets SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_restore_targets.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RestoreFixture.h LIBS lifeboat_restore
    LABELS integration FIXTURES pg TIMEOUT 600)
add_dependencies(tst_restore_targets lifeboatctl)
