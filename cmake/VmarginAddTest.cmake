# vmargin_add_test(name SOURCES ... [LABELS ...] [ARGS ...] [LIBS ...] [CORE_ONLY] [HEAVY])
#
# CORE_ONLY links the core-only test main (vmargin::core and doctest, no
# codec: neither nlohmann/json nor libsodium) instead of vmargin_test_main.
# HEAVY: the test runs the engine long enough that its wasm binary is worth
# binaryen's -O3 at link (the others link at -O1, 20x faster to build).
#
# One doctest executable per module. Under Emscripten it is linked into a
# single .js file (wasm embedded, real files through NODERAWFS) that ctest
# runs with node; doctest is then built without exceptions, like the
# production module.
function(vmargin_configure_test_target target)
  vmargin_set_compile_options(${target})
  # The test drivers at -O1 in optimised builds: the code under test (the
  # libraries) keeps the build's -O3, and -O1 cuts about 30 % of the drivers' compile
  # time (doctest assertions and nlohmann/json instantiations), which
  # dominates `make test` on a 2-core machine.
  target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O1>)
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
  cmake_parse_arguments(T "CORE_ONLY;HEAVY" "" "SOURCES;LABELS;ARGS;LIBS" ${ARGN})
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
    # The objects keep the build's -O3 either way. Binaryen's -O3 pass at
    # link costs about 20 s of CPU per test binary (-O1: 1 s) and makes the
    # code about 2x faster: only HEAVY tests (tens of seconds in wasm) keep it.
    if(NOT T_HEAVY)
      target_link_options(${name} PRIVATE $<$<CONFIG:Release>:-O1>)
    endif()
    find_program(VMARGIN_NODE node REQUIRED)
    add_test(NAME ${name} COMMAND ${VMARGIN_NODE} $<TARGET_FILE:${name}> ${T_ARGS})
  else()
    # CMAKE_CROSSCOMPILING_EMULATOR (qemu for aarch64) is applied by ctest.
    add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
endfunction()
