# Every target installs what it needs first, so each works on a fresh Debian
# machine with Node 20. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Debian packages the tests need (grows with the project).
TEST_PACKAGES := python3 zstd chromium fonts-dejavu-core postgresql socat wvdial ppp dnsmasq-base hostapd shellcheck nftables poppler-utils

.PHONY: help deps system-deps start test test-faults lint bench i18n clean

help:
	@echo "make start   run the whole system locally"
	@echo "make test    run every test"
	@echo "make test-faults  the long sweep of sync faults (cut points across every step)"
	@echo "make lint    eslint, prettier and the TypeScript compiler"
	@echo "make bench   run the benchmarks; results go to bench/results/"
	@echo "make i18n    extract the webmail's messages and merge the translation catalogs"

node_modules/.package-lock.json: package.json package-lock.json protocol/package.json app/package.json cloud/package.json
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a!==20||b<19) { console.error(`Lokole needs Node 20.19 or newer within 20.x; this is ${process.version}.`); process.exit(1) }'
	npm ci --no-audit --no-fund
	@touch $@

deps: node_modules/.package-lock.json

system-deps:
	@scripts/install-system-packages.sh $(TEST_PACKAGES)

start: deps
	@echo "make start comes with the cloud and the device app (issues 3, 4 and 9); today there is the protocol CLI: npx lokole-package --help"
	@exit 1

test: deps system-deps
	npm test

test-faults: deps system-deps
	npm run test:faults -w cloud

lint: deps
	npm run lint

bench: deps
	npm run bench

i18n: deps
	npm run i18n -w app

clean:
	rm -rf node_modules */node_modules coverage */coverage bench/work
