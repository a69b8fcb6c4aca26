# The desktop app's runner tells storage.low for growth and the WAL capture alerts (wal.lag, wal.gap) once, as
# run-due does; figures from a real catalog, the server unreachable (nothing listens on its port).
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_trayalerts SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_trayalerts.cpp
                      LIBS lifeboat_ui LABELS gui TIMEOUT 300)
endif()
