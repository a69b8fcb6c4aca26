# The layer rules of docs/architecture.md (issue 19): services without widgets, nothing reaching up a layer, no job
# request built outside services, no source file over 600 lines.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
    add_test(NAME layer_rules COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/package/layers.py
                                      ${PROJECT_SOURCE_DIR})
    set_tests_properties(layer_rules PROPERTIES LABELS "package;unit" TIMEOUT 60)
endif()
