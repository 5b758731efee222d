# The two commands a newcomer types: `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := src/spinewise/web/static/vendor

.PHONY: demo test coverage install assets lint typecheck browsers clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python assets
	$(BIN)/pip install --quiet -e '.[dev,ml]'

# Front-end libraries come from npm at install time and are served by the app (offline-safe).
assets:
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/uplot/dist/uPlot.iife.min.js $(VENDOR)/uPlot.iife.min.js
	cp node_modules/uplot/dist/uPlot.min.css $(VENDOR)/uPlot.min.css
	# Cornerstone3D for the imaging viewer: one ES module, its decoding web worker (loaded from
	# beside it through import.meta.url) and the WebAssembly codecs for compressed DICOM.
	mkdir -p $(VENDOR)/cornerstone
	node_modules/.bin/esbuild cornerstone=assets/cornerstone-entry.js \
	  decodeImageFrameWorker=node_modules/@cornerstonejs/dicom-image-loader/dist/esm/decodeImageFrameWorker.js \
	  --bundle --format=esm --minify --log-level=error --outdir=$(VENDOR)/cornerstone \
	  --alias:xmlbuilder2=./assets/xmlbuilder2-stub.js \
	  $(addprefix --external:,fs path module crypto events url stream util)
	cp node_modules/@cornerstonejs/codec-charls/dist/charlswasm_decode.wasm \
	  node_modules/@cornerstonejs/codec-openjpeg/dist/openjpegwasm_decode.wasm \
	  node_modules/@cornerstonejs/codec-libjxl/dist/jpegxlwasm_decode.wasm \
	  node_modules/@cornerstonejs/codec-libjpeg-turbo-8bit/dist/libjpegturbowasm_decode.wasm \
	  node_modules/@cornerstonejs/codec-openjph/dist/openjphjs.wasm $(VENDOR)/cornerstone/
	# MediaPipe Pose (camera coaching): detector + lite/full landmark models + wasm, no heavy model.
	mkdir -p $(VENDOR)/mediapipe-pose
	cp node_modules/@mediapipe/pose/{pose.js,pose_web.binarypb,pose_solution_packed_assets.data,pose_solution_packed_assets_loader.js,pose_solution_simd_wasm_bin.js,pose_solution_simd_wasm_bin.wasm,pose_solution_simd_wasm_bin.data,pose_solution_wasm_bin.js,pose_solution_wasm_bin.wasm,pose_landmark_lite.tflite,pose_landmark_full.tflite} $(VENDOR)/mediapipe-pose/

demo: install
	$(BIN)/spinewise demo

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

# Debian's Chromium drives the Playwright browser tests (no browser download).
browsers:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# No coverage tracing here: it made the web and API tests about 1.5 times slower (measured
# 326 s -> 478 s on a sixth of the suite) and pushed CI past its 30 minutes. `make coverage`
# runs the same suite with the line-coverage report.
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadgroup --durations=25 -q

test: install browsers
	$(MAKE) lint
	$(PYTEST)

coverage: install browsers
	$(PYTEST) --cov=spinewise --cov-report=term:skip-covered

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .mypy_cache .ruff_cache
