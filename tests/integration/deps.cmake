# A fresh machine has only what installer/dev.sh installs (issue 13): every Debian package that owns a file this
# configured build found (CMake package configs, pkg-config and find_library results) is listed in dev.sh or
# pulled in by a listed package's Depends. Skipped (77) where there is no dpkg.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
    add_test(NAME deps_installed_by_devsh
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/../package/deps_check.py ${CMAKE_BINARY_DIR}
                     ${PROJECT_SOURCE_DIR}/installer/dev.sh)
    set_tests_properties(deps_installed_by_devsh PROPERTIES LABELS "package;integration" TIMEOUT 120
                         SKIP_RETURN_CODE 77)
endif()
