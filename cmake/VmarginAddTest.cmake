# vmargin_add_test(name SOURCES ... [LABELS ...] [ARGS ...] [LIBS ...] [CORE_ONLY])
#
# CORE_ONLY links the core-only test main (vmargin::core and doctest, no
# codec: neither nlohmann/json nor libsodium) instead of vmargin_test_main.
#
# One doctest executable per module. Under Emscripten it is linked into a
# single .js file (wasm embedded, real files through NODERAWFS) that ctest
# runs with node; doctest is then built without exceptions, like the
# production module.
function(vmargin_configure_test_target target)
  vmargin_set_compile_options(${target})
  if(EMSCRIPTEN)
    target_compile_definitions(${target} PUBLIC DOCTEST_CONFIG_NO_EXCEPTIONS_BUT_WITH_ALL_ASSERTS)
  endif()
  # Sanitizers (about 20x slower), qemu and node run a tenth of the property
  # cases: the full count runs natively (gcc and clang), and every target's
  # bytes are compared on the vectors anyway (tests/conformance).
  if(VMARGIN_SANITIZE OR CMAKE_CROSSCOMPILING OR EMSCRIPTEN)
    target_compile_definitions(${target} PUBLIC VMARGIN_REDUCED_PROPERTY_RUNS)
  endif()
endfunction()

function(vmargin_add_test name)
  cmake_parse_arguments(T "CORE_ONLY" "" "SOURCES;LABELS;ARGS;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  if(T_CORE_ONLY)
    target_link_libraries(${name} PRIVATE vmargin_core_test_main ${T_LIBS})
  else()
    target_link_libraries(${name} PRIVATE vmargin_test_main ${T_LIBS})
  endif()
  vmargin_configure_test_target(${name})
  if(EMSCRIPTEN)
    set_target_properties(${name} PROPERTIES SUFFIX ".js")
    target_link_options(${name} PRIVATE -sSINGLE_FILE=1 -sNODERAWFS=1 -sENVIRONMENT=node
                        -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1)
    find_program(VMARGIN_NODE node REQUIRED)
    add_test(NAME ${name} COMMAND ${VMARGIN_NODE} $<TARGET_FILE:${name}> ${T_ARGS})
  else()
    # CMAKE_CROSSCOMPILING_EMULATOR (qemu for aarch64) is applied by ctest.
    add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
endfunction()
