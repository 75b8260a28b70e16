package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/imut/xuewu/bot"
	"github.com/imut/xuewu/handlers"
	"github.com/imut/xuewu/handlers/h5"
	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/notify"
	"github.com/imut/xuewu/notify/wechat"
)

// Time limits of the HTTP server.
const (
	shutdownTimeout   = 15 * time.Second // for requests in flight at SIGTERM
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
)

// serve runs the HTTP server and the job workers until ctx ends, then
// shuts them down gracefully and closes the database and Redis.
func serve(ctx context.Context, a *app) error {
	a.log.Info("starting xuewu", "config", a.cfg)

	b, err := openBackend(ctx, a.cfg, a.log, true)
	if err != nil {
		return err
	}
	defer b.close()
	if err := loadDemoSchool(ctx, a, b.store); err != nil {
		return err
	}

	rdb, closeRedis, err := openRedis(ctx, a.cfg, a.log)
	if err != nil {
		return err
	}
	defer closeRedis()

	wx, err := newWeChat(a.cfg, rdb, a.log)
	if err != nil {
		return err
	}
	mini, err := newMiniProgram(a.cfg, rdb, a.log) // off without WECHAT_MINI_APP_ID
	if err != nil {
		return err
	}
	b.notices.Notifier = newNotifier(a, b.store, wx, mini)
	if err := b.queue.Start(ctx); err != nil {
		return err
	}
	defer stopQueue(ctx, b, a.log)

	chat := bot.New(bot.Config{Store: b.store, Redis: rdb, PublicURL: a.cfg.PublicURL,
		Log: a.log, Now: a.now})
	callback, err := handlers.NewWeChatCallback(handlers.CallbackConfig{
		Account: wx.OfficialAccount(), Conversation: chat, Messenger: wx,
		Logger: a.log, Now: a.now})
	if err != nil {
		return fmt.Errorf("set up the WeChat callback: %w", err)
	}
	defer drain(ctx, callback, a.log)

	pages, err := h5.New(h5.Config{Store: b.store, OAuth: wx, PublicURL: a.cfg.PublicURL,
		DataDir: a.cfg.DataDir, Log: a.log, Now: a.now})
	if err != nil {
		return fmt.Errorf("set up the mobile pages: %w", err)
	}
	mounts, err := pageMounts(a, b.store, pages, callback)
	if err != nil {
		return err
	}
	if err := mini.mount(a, b.store, rdb, mounts); err != nil {
		return err
	}

	h := handlers.New(handlers.Deps{
		Store:      b.store,
		Logger:     a.log,
		AdminToken: a.cfg.AdminToken.Reveal(),
		Now:        a.now,
		WeChat:     callback,
		Mounts:     mounts,
		Collectors: []prometheus.Collector{notify.NewMetrics(b.store.DB(), a.log)},
		Checks: []handlers.Check{
			{Name: "database", Pinger: handlers.PingFunc(b.sqlDB.PingContext)},
			{Name: "redis", Pinger: redisPinger(rdb)},
		},
	})
	return listenAndServe(ctx, a.cfg.HTTPAddr, h, a.log)
}

// newWeChat builds the one WeChat client, with demo values in demo mode.
func newWeChat(cfg *Config, rdb redis.UniversalClient, log *slog.Logger) (*wechat.Client, error) {
	w := cfg.WeChat
	appID, secret, token := w.Account()
	wx, err := wechat.New(wechat.Config{AppID: appID, AppSecret: secret, Token: token,
		AESKey: w.AESKey.Reveal(), APIBase: w.APIBase, OpenBase: w.OpenBase}, rdb, log)
	if err != nil {
		return nil, fmt.Errorf("set up the WeChat client: %w", err)
	}
	return wx, nil
}

// newNotifier delivers notices through WeChat, and to mini-program users
// as subscribe messages, and fetches evidence photos into the data
// directory.
func newNotifier(a *app, store *models.Store, wx *wechat.Client,
	mini miniProgram) *notify.Notifier {
	w := a.cfg.WeChat
	templates := map[notify.CardKind]string{
		notify.CardApproval: w.TemplateApproval,
		notify.CardProgress: w.TemplateProgress,
		notify.CardReminder: w.TemplateReminder,
	}
	nc := notify.NotifierConfig{
		Store:     store,
		Sender:    notify.NewWeChatSender(wx, templates, 0),
		PublicURL: a.cfg.PublicURL,
		Evidence:  &notify.EvidenceFetcher{Store: store, Media: wx, Dir: a.cfg.DataDir, Log: a.log},
		Log:       a.log,
		Now:       a.now,
	}
	mini.notices(a.cfg, &nc)
	return notify.NewNotifier(nc)
}

// stopQueue lets running jobs finish, for up to shutdownTimeout.
func stopQueue(ctx context.Context, b *backend, log *slog.Logger) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := b.queue.Stop(sctx); err != nil {
		log.Warn("stop job workers", "error", err)
	}
}

// drain waits for late chat answers still being sent.
func drain(ctx context.Context, cb *handlers.WeChatCallback, log *slog.Logger) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := cb.Drain(sctx); err != nil {
		log.Warn("drain late chat answers", "error", err)
	}
}

// redisPinger checks that Redis answers.
func redisPinger(rdb redis.UniversalClient) handlers.PingFunc {
	return func(ctx context.Context) error { return rdb.Ping(ctx).Err() }
}

// listenAndServe serves h on addr until ctx ends, then waits up to
// shutdownTimeout for the requests in flight.
func listenAndServe(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-served:
		return fmt.Errorf("serve HTTP: %w", err)
	case <-ctx.Done():
	}

	log.Info("shutting down", "timeout", shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down HTTP server: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve HTTP: %w", err)
	}
	log.Info("stopped")
	return nil
}
