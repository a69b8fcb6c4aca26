# age (services/crypto): CCTV vectors, round trips and key handling, and interop with the stock age binary.
lifeboat_add_test(tst_age_cctv SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_age_cctv.cpp LIBS lifeboat_crypto ZLIB::ZLIB
    LABELS unit)
lifeboat_add_test(tst_age SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_age.cpp LIBS lifeboat_crypto LABELS unit)
lifeboat_add_test(tst_age_interop SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_age_interop.cpp LIBS lifeboat_crypto
    LABELS unit)
