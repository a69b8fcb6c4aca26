# A child process for the no-D-Bus and stdin/terminal cases: they need an environment and a stdin of their own.
add_executable(lifeboat_secrets_child ${CMAKE_CURRENT_LIST_DIR}/secrets_child.cpp)
target_link_libraries(lifeboat_secrets_child PRIVATE lifeboat_common lifeboat_secrets)

lifeboat_add_test(tst_secrets SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_secrets.cpp LIBS lifeboat_secrets LABELS unit)
target_compile_definitions(tst_secrets PRIVATE LIFEBOAT_SECRETS_CHILD="$<TARGET_FILE:lifeboat_secrets_child>")
add_dependencies(tst_secrets lifeboat_secrets_child)
