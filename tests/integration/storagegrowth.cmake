# storage.low for growth (issue 18, part 2): an S3 storage (the s3 fixture, SigV4 checked) whose last 24 hours of
# stored bytes, from the catalog, cross --alert-growth-above is told to a real webhook by run-due once per crossing.
lifeboat_add_test(tst_storagegrowth_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_storagegrowth_cli.cpp
    LIBS Qt6::Network LABELS integration FIXTURES "s3" TIMEOUT 300)
add_dependencies(tst_storagegrowth_cli lifeboatctl)
