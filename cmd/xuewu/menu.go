package main

import (
	"context"
	"fmt"

	"github.com/imut/xuewu/bot"
	"github.com/imut/xuewu/notify/wechat"
)

// menuButtons is the official account's menu; its click keys start the
// same flows as the words they stand for.
var menuButtons = []wechat.Button{
	{Type: "click", Name: "办理业务", Key: bot.MenuApply},
	{Type: "click", Name: "我的申请", Key: bot.MenuMine},
	{Type: "click", Name: "帮助", Key: bot.MenuHelp},
}

// installMenu replaces the official account's menu through the API.
func installMenu(ctx context.Context, a *app) error {
	if a.cfg.WeChat.Demo() {
		return fmt.Errorf("menu: WECHAT_APP_ID is not set; the demo has no official account")
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
	if err := wx.SetMenu(ctx, menuButtons); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "menu installed: 办理业务 / 我的申请 / 帮助")
	return nil
}
