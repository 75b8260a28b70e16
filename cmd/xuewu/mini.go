package main

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/redis/go-redis/v9"

	"github.com/imut/xuewu/handlers/mp"
	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/notify"
	"github.com/imut/xuewu/notify/wechat"
)

// miniProgram is the mini-program's side of the server: its WeChat client,
// or nil when WECHAT_MINI_APP_ID is unset and the mini-program is off.
type miniProgram struct {
	client *wechat.MiniClient
}

// newMiniProgram builds the mini-program's client when it is configured.
func newMiniProgram(cfg *Config, rdb redis.UniversalClient, log *slog.Logger) (miniProgram, error) {
	w := cfg.WeChat
	if w.MiniAppID == "" {
		return miniProgram{}, nil
	}
	c, err := wechat.NewMini(wechat.MiniConfig{AppID: w.MiniAppID,
		AppSecret: w.MiniAppSecret.Reveal(), APIBase: w.APIBase}, rdb, log)
	if err != nil {
		return miniProgram{}, fmt.Errorf("set up the mini-program client: %w", err)
	}
	return miniProgram{client: c}, nil
}

// mount adds the mini-program API under /api/mp to mounts; while the
// mini-program is off the path stays unmounted and answers 404.
func (m miniProgram) mount(a *app, store *models.Store, rdb redis.UniversalClient,
	mounts map[string]http.Handler) error {
	if m.client == nil {
		return nil
	}
	api, err := mp.New(mp.Config{Store: store, Sessions: m.client, Redis: rdb,
		PublicURL: a.cfg.PublicURL, Log: a.log, Now: a.now})
	if err != nil {
		return fmt.Errorf("set up the mini-program API: %w", err)
	}
	mounts["/api/mp"] = api
	return nil
}

// notices sets the notifier's subscribe messages to mini-program users:
// none while the mini-program is off or WECHAT_MINI_TEMPLATE is unset.
func (m miniProgram) notices(cfg *Config, nc *notify.NotifierConfig) {
	if m.client == nil || cfg.WeChat.MiniTemplate == "" {
		return
	}
	nc.Mini, nc.MiniTemplate = m.client, cfg.WeChat.MiniTemplate
}
