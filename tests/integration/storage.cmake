lifeboat_add_test(tst_s3client SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_s3client.cpp
    ${CMAKE_CURRENT_LIST_DIR}/S3TestSupport.h LIBS lifeboat_storage Qt6::Network
    LABELS integration FIXTURES s3 TIMEOUT 600)
lifeboat_add_test(tst_s3faults SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_s3faults.cpp LIBS lifeboat_storage Qt6::Network
    LABELS integration)
if(TARGET lifeboat_models)
    lifeboat_add_test(tst_bucketmodel SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_bucketmodel.cpp
        LIBS lifeboat_models lifeboat_storage Qt6::Network LABELS integration FIXTURES s3)
endif()
