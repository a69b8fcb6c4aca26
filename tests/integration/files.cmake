lifeboat_add_test(tst_files_backup SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_files_backup.cpp
    LIBS lifeboat_catalog lifeboat_pipeline LibArchive::LibArchive LABELS integration TIMEOUT 900)
lifeboat_add_test(tst_files_s3 SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_files_s3.cpp
    LIBS lifeboat_pipeline LABELS integration FIXTURES s3 TIMEOUT 600)
