# The S3 client against servers that misbehave (label integration, s3 fixture): a wrong secret, a private s3rver
# stopped mid-upload, HTTPS with a custom CA file. The rest is tst_s3client (storage.cmake).
lifeboat_add_test(tst_s3client_servers SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_s3client_servers.cpp
    ${CMAKE_CURRENT_LIST_DIR}/S3TestSupport.h LIBS lifeboat_storage Qt6::Network
    LABELS integration FIXTURES s3 TIMEOUT 600)
