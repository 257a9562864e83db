# The two commands (README "Quick start"):
#   make demo   set up, build, and evaluate the bundled example natively and in wasm
#   make test   set up, build every target and run every test
.PHONY: demo test bench format clean

demo:
	@scripts/demo.sh

test:
	@scripts/test.sh

bench:
	@scripts/bench.sh

format:
	@git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' | xargs clang-format -i

# Keeps build/deps (the cached libsodium wasm build).
clean:
	@rm -rf build/gcc build/clang build/wasm build/aarch64 build/asan build/cross
