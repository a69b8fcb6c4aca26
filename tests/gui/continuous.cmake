# Continuous protection from the desktop app (issue #20): the profile editor marks a profile continuous and checks
# replication access against a real throwaway cluster; the tray's WalCaptureRunner then keeps a real
# `lifeboatctl wal receive` running for it (segments land in storage) and stops it when the mark goes.
if(LIFEBOAT_BUILD_GUI)
    lifeboat_add_test(tst_gui_continuous SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gui_continuous.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.h ${CMAKE_CURRENT_LIST_DIR}/GuiTyping.cpp
                      LIBS lifeboat_ui LABELS gui TIMEOUT 600)
    add_dependencies(tst_gui_continuous lifeboatctl)
endif()
