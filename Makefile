# Switchboard — run `make help` for the list of commands.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help

include deploy/native/make.env
# Everything runs on the pinned Node 24 (fetched by `make tools` into $(SB_CACHE), outside the repo).
export PATH := $(SB_NODE_DIR)/bin:$(PATH)
# Native addons must build against Node 24's headers, whatever a user-level .npmrc says.
export npm_config_nodedir := $(SB_NODE_DIR)
COMPOSE ?= docker compose

.PHONY: help up down logs ps monitoring backup restore upgrade dev demo test test-unit test-integration test-reliability test-static test-e2e test-compose bench agent-eval workflows-export lint typecheck \
        migrate seed audit-verify tools deps build env clean

help: ## Show this help
	@echo "Switchboard — the commands that matter: 'make up' (the appliance) and 'make test' (all tests)."
	@echo
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

# ---- The appliance (Docker Compose) -------------------------------------------------------------
up: env ## Start the whole appliance with Docker Compose (creates .env on first run)
	@bash deploy/scripts/compose-up.sh

down: ## Stop the appliance (data volumes are kept)
	$(COMPOSE) down

logs: ## Follow the appliance's logs, one readable line each (SERVICE=backend to pick one; LOG_FORMAT=json for raw)
	@if [ "$(LOG_FORMAT)" = "json" ]; then $(COMPOSE) logs -f --tail=200 $(SERVICE); \
	else $(COMPOSE) logs -f --tail=200 $(SERVICE) | docker run --rm -i --network none switchboard/backend:local node backend/dist/cli/format-logs.js; fi

backup: ## Back up everything now into ./backups (databases, n8n data, .env keys), encrypted with BACKUP_PASSPHRASE
	@bash deploy/scripts/backup.sh

restore: ## Replace ALL data with a backup: make restore FILE=backups/switchboard-<time>.sbbk
	@bash deploy/scripts/restore.sh "$(FILE)"

upgrade: ## Upgrade to this checkout's release (after git pull, or VERSION=<tag>): backup, build, migrate, health; rolls back on failure
	@bash deploy/scripts/upgrade.sh

ps: ## Show the appliance's services and their health
	$(COMPOSE) ps

monitoring: env ## Start Prometheus and Grafana (compose profile monitoring; Grafana on 127.0.0.1:3001, docs/metrics.md)
	$(COMPOSE) --profile monitoring up -d prometheus grafana

env: ## Create .env from .env.example with fresh secrets (never overwrites)
	@bash deploy/scripts/init-env.sh

# ---- Native mode (no Docker: plain processes on this machine) ----------------------------------
tools: ## Install Node 24 and n8n into the cache folder (first time: a few minutes)
	@bash deploy/native/install-tools.sh all

deps: tools ## Install npm dependencies (package-lock.json)
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi

build: deps ## Build every workspace (backend, n8n nodes, portal)
	npm run build

dev: build ## Run the whole stack natively (PostgreSQL and Redis from this machine); Ctrl-C stops it
	npx tsx deploy/native/dev.ts

demo: build ## The missed-call flow end to end on this machine: fake Twilio, seeded clinic, a test call texted back (Ctrl-C stops)
	npx tsx deploy/native/demo.ts

migrate: deps ## Apply database migrations (native: uses .run/dev settings; compose: runs the migrate service)
	@if [ -f .run/dev/secrets.json ]; then npx tsx deploy/native/run-with-env.ts backend/src/cli/migrate.ts up; else $(COMPOSE) run --rm migrate; fi

seed: deps ## Create the demo agency, tenant and first login (once)
	@if [ -f .run/dev/secrets.json ]; then npx tsx deploy/native/run-with-env.ts backend/src/cli/seed.ts; else $(COMPOSE) run --rm migrate node backend/dist/cli/seed.js; fi

audit-verify: deps ## Verify the audit trail's hash chains
	@if [ -f .run/dev/secrets.json ]; then npx tsx deploy/native/run-with-env.ts backend/src/cli/audit-verify.ts; else $(COMPOSE) exec backend node backend/dist/cli/audit-verify.js; fi

# ---- Quality -----------------------------------------------------------------------------------
lint: deps ## Lint everything (typescript-eslint, and n8n's community-node lint for n8n-nodes)
	npx eslint . --max-warnings=0
	npm run lint -w n8n-nodes

typecheck: deps ## Type-check every workspace
	npm run typecheck

test: deps lint typecheck ## Run ALL tests: lint, type-check, unit, integration, reliability, static, end-to-end
	npm run build -w n8n-nodes --silent
	npm run build -w portal --silent
	npx tsx tests/run-layers.ts

test-unit: deps ## Unit tests only
	npx tsx tests/run-layers.ts unit
test-integration: deps ## Integration tests only (real PostgreSQL and Redis)
	npx tsx tests/run-layers.ts integration
test-reliability: deps ## Crash and restart tests: worker SIGKILL, Redis restart, PostgreSQL restart (send batch and inbound burst)
	npx tsx tests/run-layers.ts reliability
test-static: deps ## Static checks of the compose file, Caddyfile and .env.example
	npx tsx tests/run-layers.ts static
test-e2e: build ## End-to-end tests (native stack with a real n8n)
	npx tsx tests/run-layers.ts e2e
test-compose: deps ## The compose layer: `make up` with Docker, checked through the proxy (needs a Docker engine)
	npx tsx tests/run-layers.ts compose

workflows-export: deps ## Write workflows edited in n8n (native dev stack) back to n8n-workflows/, normalised
	npx tsx deploy/n8n/export-workflows.ts

bench: deps ## Benchmarks (not tests): print throughput and latency figures, see bench/README.md
	npx tsx bench/run-all.ts

agent-eval: deps ## Check the configured LLM (LLM_* in .env) against scripted agent conversations; pass/fail table (not in make test)
	@set -a; [ -f .env ] && . ./.env; set +a; npx tsx tests/agent-eval/run-agent-eval.ts

clean: ## Remove build output and native state (.run/); keeps the tool cache and .env
	rm -rf backend/dist portal/build portal/.svelte-kit n8n-nodes/dist .run
