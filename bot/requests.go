package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/imut/xuewu/models"
)

// submit files the summarised form as a new request, or as the changes
// of the request being edited.
func (b *Bot) submit(ctx context.Context, st *models.Student, dl *Dialog) (string, error) {
	f := dl.Form
	draft := models.Draft{Kind: f.Kind, Reason: f.Reason, CourseCode: f.CourseCode,
		CourseName: f.CourseName, Phones: f.Phones, Details: f.Details}

	var req *models.Request
	var err error
	wasReturned := false
	if f.Editing != 0 {
		if old, lerr := b.store.OwnRequest(ctx, st.No, f.Editing); lerr == nil {
			wasReturned = old.Status == models.RequestReturned
		}
		req, err = b.store.Edit(ctx, st.No, f.Editing, draft)
	} else {
		req, err = b.store.Submit(ctx, st.No, draft)
	}
	if err != nil {
		var r *models.Refusal
		if !errors.As(err, &r) {
			return "", err
		}
		return models.UserMessage(err) + "\n" + txtFixHint, nil
	}
	dl.Form = nil
	b.log.InfoContext(ctx, "request filed", "request_id", req.ID, "kind", string(req.Kind),
		"edit", f.Editing != 0)
	return b.filedReply(ctx, req, f.Editing != 0, wasReturned)
}

// txtFixHint follows a refusal at the summary.
const txtFixHint = "回复“修改”加序号更改后再提交，或回复“取消”放弃。"

// filedReply tells the number, deadline, next signer, evidence and link.
func (b *Bot) filedReply(ctx context.Context, req *models.Request, edited, resumed bool) (string, error) {
	rule, _ := models.RuleFor(req.Kind)
	deadline := formatTime(req.Deadline)
	link := b.printLink(req.ID)
	next, err := b.nextSigner(ctx, req)
	if err != nil {
		return "", err
	}
	switch {
	case resumed:
		return fmt.Sprintf(txtResubmitted, req.ID, next, deadline, link), nil
	case edited:
		return fmt.Sprintf(txtEdited, req.ID, deadline, link), nil
	}

	reason, _ := rule.Reason(req.Reason)
	evidence := txtNoEvidence
	if len(reason.Evidence) > 0 || reason.Note != "" {
		evidence = fmt.Sprintf(txtEvidence, evidenceText(reason))
	}
	final := models.RoleLabel(rule.Chain[len(rule.Chain)-1].Role)
	title := rule.Label
	if req.CourseName != "" {
		title += "·" + req.CourseName
	}
	return fmt.Sprintf(txtSubmitted, req.ID, title, deadline, final, next, evidence, link), nil
}

// nextSigner names the role and people of the current step.
func (b *Bot) nextSigner(ctx context.Context, req *models.Request) (string, error) {
	cur := req.Current()
	if cur == nil {
		return "", nil
	}
	who := models.RoleLabel(cur.Role)
	staff, err := b.store.Approvers(ctx, cur)
	if err != nil {
		return "", err
	}
	var names []string
	for _, s := range staff {
		names = append(names, s.Name)
	}
	if len(names) > 0 && len(names) <= 3 {
		who += "（" + strings.Join(names, "、") + "老师）"
	}
	return who, nil
}

func (b *Bot) printLink(id uint64) string {
	return b.publicURL + "/h5/print/" + strconv.FormatUint(id, 10)
}

// formatTime writes a time as students read it, in China time.
func formatTime(t time.Time) string {
	return models.ChinaTime(t).Format("2006年1月2日 15:04")
}

// mineLimit is how many requests 我的申请 lists.
const mineLimit = 10

// mine lists the student's latest requests.
func (b *Bot) mine(ctx context.Context, st *models.Student) (string, error) {
	reqs, err := b.store.StudentRequests(ctx, st.No, mineLimit)
	if err != nil {
		return "", err
	}
	if len(reqs) == 0 {
		return txtMineEmpty, nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, txtMineHead, len(reqs))
	for i := range reqs {
		r := &reqs[i]
		course := ""
		if r.CourseName != "" {
			course = "·" + r.CourseName
		}
		fmt.Fprintf(&sb, txtMineLine, r.ID, kindLabel(r.Kind), course, r.Status.Label())
		if cur := r.Current(); cur != nil && r.Status == models.RequestPending {
			fmt.Fprintf(&sb, txtMineWait, models.RoleLabel(cur.Role), formatTime(r.Deadline))
		}
	}
	sb.WriteString(txtMineTail)
	return sb.String(), nil
}

// requestCommand answers 删除 N, 修改 N and 打印 N.
func (b *Bot) requestCommand(ctx context.Context, st *models.Student, verb string, id uint64,
	dl *Dialog) (string, error) {
	req, err := b.store.OwnRequest(ctx, st.No, id)
	if err != nil {
		return b.refusal(models.UserMessage(err), err)
	}
	switch verb {
	case "删除":
		if err := b.store.Delete(ctx, st.No, id); err != nil {
			return b.refusal(models.UserMessage(err), err)
		}
		b.log.InfoContext(ctx, "request deleted", "request_id", id)
		return fmt.Sprintf(txtDeleted, id), nil
	case "修改":
		if err := req.EditableBy(st.No); err != nil {
			return b.refusal(models.UserMessage(err), err)
		}
		f := &Form{Kind: req.Kind, Reason: req.Reason, CourseCode: req.CourseCode,
			CourseName: req.CourseName, Phones: req.PhoneList(), Details: req.Details,
			Editing: req.ID}
		rule, _ := models.RuleFor(req.Kind)
		f.Back = fieldsOf(rule)
		f.Field = fieldSummary
		dl.Form = f
		return b.summary(f), nil
	}
	rule, _ := models.RuleFor(req.Kind)
	copies := ""
	if rule.Copies > 1 {
		copies = fmt.Sprintf(txtCopies, rule.Copies)
	}
	return fmt.Sprintf(txtPrint, id, rule.Label, b.printLink(id), copies), nil
}
