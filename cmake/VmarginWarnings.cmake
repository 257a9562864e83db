# Warnings, floating-point contraction off, and optional sanitizers (and fuzzing coverage), applied
# per target so that third-party code is not affected.
function(vmargin_set_compile_options target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wimplicit-fallthrough
    # No result may depend on whether a*b+c is fused: there is no floating
    # point in results at all, and this keeps the compiler honest anyway.
    -ffp-contract=off
    # g++ 12 reports false -Wrestrict positives inside std::string (GCC bug 105651).
    $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
  if(VMARGIN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(VMARGIN_SANITIZE OR VMARGIN_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  # libFuzzer's coverage instrumentation; the fuzz targets themselves link
  # -fsanitize=fuzzer (its main), tests/fuzz/CMakeLists.txt.
  if(VMARGIN_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()
