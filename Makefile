# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
.PHONY: run test setup services lint check-deploy compose-config messages bench

run:            ## install, migrate, load reference + demo data, serve on http://127.0.0.1:8000
	scripts/run.sh

test:           ## the whole test suite (uses DATABASE_URL / REDIS_URL when set; see README)
	scripts/test.sh $(ARGS)

setup:          ## install Python and npm packages, compile translations
	scripts/setup.sh

services:       ## install and start PostgreSQL, Redis, Chromium (Debian, root); prints the env to export
	scripts/services.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

messages:       ## refresh locale/th/LC_MESSAGES/django.po from the code (needs gettext)
	.venv/bin/python manage.py makemessages -l th --no-obsolete --no-location -i node_modules -i .venv -i var
	.venv/bin/python manage.py compile_translations

check-deploy:   ## Django's deployment checks with production settings
	scripts/check_deploy.sh

compose-config: ## validate docker-compose.yml without a Docker engine
	scripts/compose_config.sh

bench:          ## benchmark on PostgreSQL + gunicorn: national scale, then ×10 (SCALE=1 or SCALE=10 for one)
	scripts/bench.sh $(if $(SCALE),--scale $(SCALE))
