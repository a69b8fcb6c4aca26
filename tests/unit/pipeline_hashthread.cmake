# Issue 17: SHA-256 on its own thread for base backups (HashStage::Threading::OwnThread).
lifeboat_add_test(tst_pipeline_hashthread SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_pipeline_hashthread.cpp LIBS lifeboat_pipeline
    LABELS unit)
