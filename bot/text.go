package bot

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/imut/xuewu/bot/extract"
	"github.com/imut/xuewu/models"
)

// requestCmdRe matches 删除 N, 修改 N and 打印 N (N a request number).
var requestCmdRe = regexp.MustCompile(`^(删除|修改|打印)第?(\d{1,12})号?$`)

// looksLikeAnswer matches messages that only make sense inside a form.
var looksLikeAnswer = regexp.MustCompile(`^(\d{1,2}|确认|提交|上一步|修改\S*|[\d\- ]{7,})$`)

// onText answers a text message (or a menu click turned into one).
func (b *Bot) onText(ctx context.Context, openID, raw string, dl *Dialog, id models.Identity) (string, error) {
	text := models.Normalize(raw)
	cmd := strings.ReplaceAll(text, " ", "")
	switch {
	case cmd == "绑定":
		return b.startBind(id, dl), nil
	case cmd == "解绑":
		return b.unbind(ctx, openID, dl)
	case dl.Bind != nil:
		return b.onBind(ctx, openID, text, dl)
	case id.Staff != nil:
		return fmt.Sprintf(txtStaffHelp, id.Staff.Name), nil
	case id.Student == nil:
		return txtNeedBind, nil
	}
	return b.onStudent(ctx, id.Student, text, cmd, dl)
}

// onStudent answers a bound student: commands first, then the form.
func (b *Bot) onStudent(ctx context.Context, st *models.Student, text, cmd string, dl *Dialog) (string, error) {
	f := dl.Form
	atSummary := f != nil && !f.Paused && f.Field == fieldSummary

	if reply, ok, err := b.command(ctx, st, cmd, dl, atSummary); ok || err != nil {
		return reply, err
	}
	if kind, ok := kindCommand(cmd); ok {
		return b.start(ctx, st, kind, extract.Fields{}, dl)
	}
	if m := requestCmdRe.FindStringSubmatch(cmd); m != nil && !atSummary {
		n, _ := strconv.ParseUint(m[2], 10, 64)
		return b.requestCommand(ctx, st, m[1], n, dl)
	}

	switch {
	case f != nil && f.Paused:
		return fmt.Sprintf(txtPausedDraft, kindLabel(f.Kind)), nil
	case f != nil && b.idle(dl):
		f.Paused = true
		return fmt.Sprintf(txtPausedDraft, kindLabel(f.Kind)), nil
	case f != nil:
		return b.answer(ctx, st, f, text, dl)
	}

	plan, err := b.store.PlanCourses(ctx, st.ClassCode)
	if err != nil {
		return "", err
	}
	if fields := extract.Extract(text, plan); fields.Kind != "" {
		return b.start(ctx, st, fields.Kind, fields, dl)
	}
	if looksLikeAnswer.MatchString(cmd) {
		return txtNoDraft, nil
	}
	return fmt.Sprintf(txtUnknown, clip(text, 20)), nil
}

// command answers the commands that work anywhere; ok is false when the
// text is not one of them.
func (b *Bot) command(ctx context.Context, st *models.Student, cmd string, dl *Dialog,
	atSummary bool) (reply string, ok bool, err error) {
	f := dl.Form
	switch {
	case cmd == "帮助" || cmd == "?" || cmd == "help":
		return b.help(f), true, nil
	case cmd == "办理业务" || cmd == "办理":
		return txtHelp, true, nil
	case cmd == "取消":
		if f == nil {
			return txtNothingToCancel, true, nil
		}
		dl.Form = nil
		return txtCanceled, true, nil
	case cmd == "继续":
		if f == nil {
			return txtNoDraft, true, nil
		}
		f.Paused = false
		return b.ask(ctx, st, f), true, nil
	case cmd == "上一步":
		if f == nil || f.Paused {
			return txtNoDraft, true, nil
		}
		return b.back(ctx, st, f), true, nil
	case cmd == "我的申请" || cmd == "查询":
		reply, err := b.mine(ctx, st)
		return b.withDraftNote(reply, f), true, err
	case cmd == "确认" || cmd == "提交":
		if !atSummary {
			if f == nil {
				return txtNoDraft, true, nil
			}
			return txtNotAtSummary + "\n" + b.ask(ctx, st, f), true, nil
		}
		reply, err := b.submit(ctx, st, dl)
		return reply, true, err
	case atSummary && strings.HasPrefix(cmd, "修改"):
		return b.fix(ctx, st, f, strings.TrimPrefix(cmd, "修改")), true, nil
	}
	return "", false, nil
}

// kindCommand reports whether the message is just a kind's keyword, with
// an optional 我要/申请 before it.
func kindCommand(cmd string) (models.Kind, bool) {
	for _, p := range []string{"我要申请", "申请办理", "我想申请", "我要", "申请", "办理"} {
		cmd = strings.TrimPrefix(cmd, p)
	}
	for _, r := range models.Rules {
		for _, k := range r.Keywords {
			if cmd == k {
				return r.Kind, true
			}
		}
	}
	return "", false
}

// idle reports whether the form has rested long enough that the student
// should be asked before a message is taken as an answer.
func (b *Bot) idle(dl *Dialog) bool {
	return dl.Seen > 0 && b.now().Sub(time.Unix(dl.Seen, 0)) > idleAfter
}

func (b *Bot) withDraftNote(reply string, f *Form) string {
	if f == nil {
		return reply
	}
	return reply + "\n\n" + fmt.Sprintf(txtPausedDraft, kindLabel(f.Kind))
}

// help explains the current question, or the bot as a whole.
func (b *Bot) help(f *Form) string {
	if f == nil || f.Paused {
		return txtHelp
	}
	rule, _ := models.RuleFor(f.Kind)
	switch f.Field {
	case fieldReason:
		var lines []string
		for i, r := range rule.Reasons {
			lines = append(lines, fmt.Sprintf("%d. %s：%s", i+1, r.Label, evidenceText(r)))
		}
		return fmt.Sprintf(txtHelpReason, strings.Join(lines, "\n"))
	case fieldCourse:
		return txtHelpCourse
	case fieldPhones:
		if rule.Phones > 1 {
			return txtHelpPhones + "\n" + txtHelpPhone
		}
		return txtHelpPhone
	case fieldDetails:
		return txtHelpDetails
	}
	reason, _ := rule.Reason(f.Reason)
	return txtHelpSummary + "\n" + fmt.Sprintf(txtEvidence, evidenceText(reason))
}

// evidenceText lists the evidence of a reason, with its note.
func evidenceText(r models.Reason) string {
	text := "无需附加材料"
	if len(r.Evidence) > 0 {
		text = strings.Join(r.Evidence, "；")
	}
	if r.Note != "" {
		text += "（" + strings.TrimSuffix(r.Note, "。") + "）"
	}
	return text
}
