# The WAL capture alerts' judgement (ops/WalCapture::evaluate and alerts): a pure function of the catalog's rows, the
# receiver's status and what the server said.
lifeboat_add_test(tst_wal_capture SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_wal_capture.cpp LIBS lifeboat_ops LABELS unit)
