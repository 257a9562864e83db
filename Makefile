# The two commands (README "Quick start"):
#   make demo   set up, build, and evaluate the bundled example natively and in wasm
#   make test   set up, build every target and run every test
.PHONY: demo test bench fuzz web fixtures format clean

demo:
	@scripts/demo.sh

test:
	@scripts/test.sh

bench:
	@scripts/bench.sh

# libFuzzer campaigns (clang, ASan+UBSan): every target FUZZ_SECONDS (default 600) seconds,
# the corpus kept in build/fuzz/corpus; FUZZ_TARGETS="fuzz_evaluate ..." for some of them.
fuzz:
	@scripts/fuzz.sh

# Builds and serves the web page locally (http://localhost:5173/).
web:
	@scripts/web.sh

# Regenerates examples/signed/ (deterministic: fixed seeds) from examples/exchange/, and
# examples/signed-options/ from examples/options/.
fixtures:
	@scripts/setup.sh native && cmake --preset gcc >/dev/null && cmake --build --preset gcc --target vmargin_fixtures >/dev/null
	@build/gcc/native/vmargin_fixtures examples/exchange examples/signed
	@build/gcc/native/vmargin_fixtures --options examples/options examples/signed-options

format:
	@git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' | xargs clang-format -i

# Keeps build/deps (the cached libsodium builds for wasm and aarch64).
clean:
	@rm -rf build/gcc build/clang build/wasm build/aarch64 build/asan build/fuzz build/cross build/bench build/wasm-bench build/web
