package main

import (
	"context"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/imut/xuewu/handlers/dev"
	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/importer"
)

// demoSchool is the sample school that `serve` loads into an empty
// embedded database: a copy of the importer's test tables.
//
//go:embed demo/school/*.csv
var demoSchool embed.FS

// demoSchoolDir is the folder of the tables inside demoSchool.
const demoSchoolDir = "demo/school"

// loadDemoSchool imports the sample school, through the same importer as
// `xuewu import`, when the database is the embedded one and holds no
// student yet. A PostgreSQL database is never touched.
func loadDemoSchool(ctx context.Context, a *app, store *models.Store) error {
	if a.cfg.DatabaseURL != "" {
		return nil
	}
	var students int64
	err := store.DB().WithContext(ctx).Model(&models.Student{}).Count(&students).Error
	if err != nil {
		return fmt.Errorf("count students: %w", err)
	}
	if students > 0 {
		return nil
	}

	dir, err := os.MkdirTemp("", "xuewu-demo-school-")
	if err != nil {
		return fmt.Errorf("demo school: %w", err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	if err := writeDemoSchool(dir); err != nil {
		return err
	}
	rep, err := importer.Import(ctx, store, dir)
	if err != nil {
		return fmt.Errorf("import the demo school: %w", err)
	}

	args := []any{}
	for _, t := range rep.Tables {
		args = append(args, string(t.Table), t.Rows)
	}
	a.log.InfoContext(ctx, "the embedded database was empty: loaded the demo school "+
		"(the tables of models/importer/testdata/school)", args...)
	return nil
}

// writeDemoSchool copies the demo tables into dir.
func writeDemoSchool(dir string) error {
	entries, err := demoSchool.ReadDir(demoSchoolDir)
	if err != nil {
		return fmt.Errorf("demo school: %w", err)
	}
	for _, e := range entries {
		data, err := demoSchool.ReadFile(path.Join(demoSchoolDir, e.Name()))
		if err != nil {
			return fmt.Errorf("demo school: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o600); err != nil {
			return fmt.Errorf("demo school: %w", err)
		}
	}
	return nil
}

// demoSecrets reads the binding secrets of the demo school: the last six
// ID characters by 学号 and the activation codes by 工号.
func demoSecrets() (map[string]string, error) {
	out := map[string]string{}
	for _, t := range []struct{ file, key, secret string }{
		{"students.csv", "学号", "身份证后六位"},
		{"staff.csv", "工号", "激活码"},
	} {
		if err := readColumns(path.Join(demoSchoolDir, t.file), t.key, t.secret, out); err != nil {
			return nil, fmt.Errorf("demo school %s: %w", t.file, err)
		}
	}
	return out, nil
}

// readColumns adds the values of column val by those of column key, from
// a CSV table of demoSchool, to out.
func readColumns(name, key, val string, out map[string]string) error {
	f, err := demoSchool.Open(name)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return errors.New("empty table")
	}
	k, v := column(rows[0], key), column(rows[0], val)
	if k < 0 || v < 0 {
		return fmt.Errorf("no %s or %s column", key, val)
	}
	for _, r := range rows[1:] {
		out[strings.TrimSpace(r[k])] = strings.TrimSpace(r[v])
	}
	return nil
}

// column is the index of a header cell, or -1.
func column(header []string, name string) int {
	for i, h := range header {
		if strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) == name {
			return i
		}
	}
	return -1
}

// pageMounts are the subtrees the server serves beside its own routes:
// the mobile pages, and in demo mode the WeChat simulator with its fake
// WeChat.
func pageMounts(a *app, store *models.Store, pages, callback http.Handler) (
	map[string]http.Handler, error) {
	mounts := map[string]http.Handler{"/h5": pages}
	if !a.cfg.WeChat.Demo() {
		return mounts, nil
	}
	sim, err := newSimulator(a, store, callback)
	if err != nil {
		return nil, err
	}
	mounts[dev.Prefix] = sim
	return mounts, nil
}

// newSimulator builds the WeChat simulator over the demo official
// account, and says where to find it.
func newSimulator(a *app, store *models.Store, callback http.Handler) (*dev.Simulator, error) {
	secrets, err := demoSecrets()
	if err != nil {
		return nil, err
	}
	menu := make([]dev.MenuButton, 0, len(menuButtons))
	for _, b := range menuButtons {
		menu = append(menu, dev.MenuButton{Name: b.Name, Key: b.Key})
	}
	appID, secret, token := a.cfg.WeChat.Account()
	sim, err := dev.New(dev.Config{Store: store, Callback: callback, AppID: appID,
		AppSecret: secret, Token: token, PublicURL: a.cfg.PublicURL, Secrets: secrets,
		Menu: menu, Log: a.log, Now: a.now})
	if err != nil {
		return nil, fmt.Errorf("set up the WeChat simulator: %w", err)
	}
	a.log.Info("demo mode: no WECHAT_APP_ID, so the WeChat simulator stands in for WeChat; "+
		"open it in a browser", "simulator", a.cfg.PublicURL+dev.Prefix+"/")
	return sim, nil
}
