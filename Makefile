# Shortcuts for the usual commands. `make test` is the project's test
# command; .ci/run runs it after starting PostgreSQL and Redis.

.PHONY: run test lint build clean

# Run the server with the settings in the environment. With no
# DATABASE_URL and REDIS_URL it uses SQLite under ./data and an in-process
# Redis.
run:
	go run ./cmd/xuewu serve

# gofmt, go vet, golangci-lint, then go test -race (see scripts/test).
test:
	./scripts/test

# golangci-lint alone, at the pinned version (installed if missing).
lint:
	./scripts/golangci-lint run ./...

# A static binary, ./xuewu, built as the Docker image builds it.
build:
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o xuewu ./cmd/xuewu

clean:
	rm -f xuewu
