package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// Exit codes of run.
const (
	exitOK      = 0
	exitFailure = 1 // the command failed, or the configuration is wrong
	exitUsage   = 2 // the command line is wrong
)

const usageText = `usage: xuewu COMMAND

commands:
  serve                 run the HTTP server
  import PATH           load a folder (or one file) of CSV or XLSX tables
  sweep [--at RFC3339]  run reminders and automatic revocation once,
                        as if at that time (default: now)
  menu                  install the official account's menu
                        (办理业务 / 我的申请 / 帮助)

Settings come from the environment; see .env.example.
`

// app is what every command is given: the configuration, the logger, the
// clock and where to print.
type app struct {
	cfg    *Config
	log    *slog.Logger
	now    func() time.Time
	stdout io.Writer
	stderr io.Writer
}

// command runs one subcommand once its arguments are parsed.
type command func(ctx context.Context, a *app) error

// run is the whole program: it parses the command line, reads the
// configuration from getenv, runs the command and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string,
	stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		fmt.Fprint(stdout, usageText)
		return exitOK
	}
	cmd, err := parseCommand(name, args[1:])
	if err != nil {
		fmt.Fprintf(stderr, "xuewu: %v\n\n%s", err, usageText)
		return exitUsage
	}

	cfg, err := loadConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "xuewu: wrong settings in the environment:\n%v\n", err)
		return exitFailure
	}
	a := &app{cfg: cfg, log: newLogger(cfg, stderr), now: time.Now,
		stdout: stdout, stderr: stderr}

	if err := cmd(ctx, a); err != nil {
		a.log.Error("command failed", "command", name, "error", err)
		return exitFailure
	}
	return exitOK
}

// parseCommand returns the named command with its arguments parsed. An
// error names the command.
func parseCommand(name string, args []string) (command, error) {
	cmd, err := parseArgs(name, args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return cmd, nil
}

func parseArgs(name string, args []string) (command, error) {
	switch name {
	case "serve":
		if len(args) > 0 {
			return nil, fmt.Errorf("unexpected argument %q", args[0])
		}
		return serve, nil
	case "import":
		return parseImport(args)
	case "sweep":
		return parseSweep(args)
	case "menu":
		if len(args) > 0 {
			return nil, fmt.Errorf("unexpected argument %q", args[0])
		}
		return installMenu, nil
	default:
		return nil, errors.New("unknown command")
	}
}

// newLogger returns the logger the configuration asks for, writing to w.
func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
