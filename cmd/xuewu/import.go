package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/imut/xuewu/models/importer"
)

// parseImport reads `import PATH`.
func parseImport(args []string) (command, error) {
	if len(args) != 1 || args[0] == "" {
		return nil, errors.New("want one PATH: a folder, or one file, of import tables")
	}
	path := args[0]
	return func(ctx context.Context, a *app) error {
		return importTables(ctx, a, path)
	}, nil
}

// importTables loads the tables at path and prints one line per table, or
// every bad row when the import was refused.
func importTables(ctx context.Context, a *app, path string) error {
	b, err := openBackend(ctx, a.cfg, a.log, false)
	if err != nil {
		return err
	}
	defer b.close()
	store := b.store

	rep, err := importer.Import(ctx, store, path)
	var rows *importer.RowErrors
	if errors.As(err, &rows) {
		for _, r := range rows.Rows {
			fmt.Fprintln(a.stderr, r.Error())
		}
		return fmt.Errorf("import refused with %d bad row(s) at %s; nothing was written",
			len(rows.Rows), path)
	}
	if err != nil {
		return err
	}

	if len(rep.Tables) == 0 {
		fmt.Fprintf(a.stdout, "no tables found at %s\n", path)
	}
	for _, t := range rep.Tables {
		fmt.Fprintln(a.stdout, t.String())
	}
	a.log.Info("import done", "path", path, "tables", len(rep.Tables))
	return nil
}
