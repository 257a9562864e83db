# Copies Emscripten's ES-module loader into the package, pointing it at the
# package's single wasm file: the loader's own new URL("vmargin.wasm",
# import.meta.url) is then what browsers and bundlers (Vite) resolve.
#   cmake -DIN=vmargin.browser.mjs -DOUT=package/vmargin.browser.mjs -P point_to_wasm.cmake
file(READ ${IN} text)
string(FIND "${text}" "\"vmargin.browser.wasm\"" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${IN} does not name vmargin.browser.wasm: the Emscripten output changed")
endif()
string(REPLACE "\"vmargin.browser.wasm\"" "\"vmargin.wasm\"" text "${text}")
file(WRITE ${OUT}.tmp "${text}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
