package h5

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// approvalPage is what the approval page shows.
type approvalPage struct {
	Title    string
	Req      requestView
	Evidence evidenceView
	Steps    []stepView
	History  []eventView
	// Waiting names the role the request waits for, while it is pending.
	Waiting string
	// Decided is the visitor's own step, decided already (by them or by a
	// colleague of the same role and scope); no buttons then.
	Decided *stepView
	// Form is the decision form, only for the one the current step names.
	Form *decisionForm
	// Error is the sentence of a refused decision.
	Error   string
	IsStaff bool
}

// decisionForm is the approver's form.
type decisionForm struct {
	CSRF       string
	StepID     uint64
	RoleLabel  string
	Comment    string
	MaxComment int
	// NeedClass asks for the new class: the registrar's step of a demotion.
	NeedClass bool
	Groups    []classGroup
}

// classGroup is the classes of one college, for the new-class choice.
type classGroup struct {
	College string
	Classes []classOption
}

// classOption is one class to choose.
type classOption struct {
	Code     string
	Name     string
	Selected bool
}

// formInput is what the approver typed, kept when a decision is refused.
type formInput struct {
	Comment     string
	TargetClass string
}

// showApproval serves GET /h5/approve/:id.
func (p *Pages) showApproval(c *gin.Context) {
	v := viewerOf(c)
	req, st, ok := p.requestFor(c, v, c.Param("id"))
	if !ok {
		return
	}
	p.renderApproval(c, http.StatusOK, v, req, st, formInput{}, "")
}

// decide serves POST /h5/approve/:id: the decision of the one whom the
// current step names, on that step only.
func (p *Pages) decide(c *gin.Context) {
	v := viewerOf(c)
	req, st, ok := p.requestFor(c, v, c.Param("id"))
	if !ok || !p.checkPost(c, v, approveScope(req.ID)) {
		return
	}
	if v.Staff == nil {
		p.message(c, http.StatusForbidden, titleError, msgStaffOnly, "")
		return
	}
	stepID, err := strconv.ParseUint(c.PostForm("step"), 10, 64)
	if err != nil {
		p.message(c, http.StatusBadRequest, titleError, msgBadInput, c.Request.URL.Path)
		return
	}

	in := formInput{Comment: c.PostForm("comment"), TargetClass: c.PostForm("target_class")}
	if msg := staleStep(req, stepID, v.Staff); msg != "" {
		p.renderApproval(c, http.StatusConflict, v, req, st, in, msg)
		return
	}

	ctx := c.Request.Context()
	action := models.Action(c.PostForm("decision"))
	_, err = p.store.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: v.Staff.No,
		Action: action, Comment: in.Comment, TargetClass: in.TargetClass})
	if err != nil {
		p.refused(c, v, req.ID, in, err)
		return
	}

	p.log.InfoContext(ctx, "h5 decision", "request_id", req.ID, "step", stepID,
		"action", string(action), "staff_no", v.Staff.No)
	c.Redirect(http.StatusSeeOther, approvePath(req.ID))
}

// refused shows the page again with the refusal's sentence and what the
// approver typed; nothing was changed.
func (p *Pages) refused(c *gin.Context, v *viewer, id uint64, in formInput, err error) {
	var ref *models.Refusal
	if !errors.As(err, &ref) {
		p.fail(c, "decide", err)
		return
	}
	status := http.StatusUnprocessableEntity
	if errors.Is(err, models.ErrConflict) {
		status = http.StatusConflict
	}

	ctx := c.Request.Context()
	req, err := p.store.RequestByID(ctx, id)
	if err != nil {
		p.fail(c, "reload request", err)
		return
	}
	st, err := p.standingOf(ctx, v, req)
	if err != nil {
		p.fail(c, "check access", err)
		return
	}
	p.renderApproval(c, status, v, req, st, in, models.UserMessage(ref))
}

// staleStep returns why the step the form was made for can no longer be
// decided, or "" when it is still the current one.
func staleStep(req *models.Request, stepID uint64, staff *models.Staff) string {
	cur := req.Current()
	if req.Status == models.RequestPending && cur != nil && cur.ID == stepID {
		return ""
	}
	for i := range req.Steps {
		s := &req.Steps[i]
		if s.ID != stepID || s.Status == models.StepWaiting || s.DecidedAt == nil {
			continue
		}
		if s.DecidedBy == staff.No {
			return fmt.Sprintf(msgStepTakenYou, when(*s.DecidedAt), stepStatusLabel(s.Status))
		}
		return fmt.Sprintf(msgStepTaken, s.DeciderName, when(*s.DecidedAt),
			stepStatusLabel(s.Status))
	}
	return msgStepGone
}

// requestFor loads the request whose ID is param and the visitor's
// standing. It answers 404 or 403 itself and then reports false.
func (p *Pages) requestFor(c *gin.Context, v *viewer,
	param string) (*models.Request, standing, bool) {
	ctx := c.Request.Context()
	id, err := strconv.ParseUint(param, 10, 64)
	if err != nil || id == 0 {
		p.message(c, http.StatusNotFound, titleError, msgNotFound, "")
		return nil, standing{}, false
	}
	req, err := p.store.RequestByID(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		p.message(c, http.StatusNotFound, titleError, msgNotFound, "")
		return nil, standing{}, false
	}
	if err != nil {
		p.fail(c, "load request", err)
		return nil, standing{}, false
	}

	st, err := p.standingOf(ctx, v, req)
	if err != nil {
		p.fail(c, "check access", err)
		return nil, standing{}, false
	}
	if st.access == accessNone {
		p.log.InfoContext(ctx, "h5 access refused", "request_id", req.ID,
			"openid", maskOpenID(v.openID))
		p.message(c, http.StatusForbidden, titleError, msgForbidden, "")
		return nil, standing{}, false
	}
	return req, st, true
}

// renderApproval shows the approval page with status.
func (p *Pages) renderApproval(c *gin.Context, status int, v *viewer, req *models.Request,
	st standing, in formInput, errMsg string) {
	page, err := p.approvalPage(c.Request.Context(), v, req, st, in)
	if err != nil {
		p.fail(c, "make approval page", err)
		return
	}
	page.Error = errMsg
	p.render(c, status, "approve", page)
}

// approvalPage gathers everything the approval page shows.
func (p *Pages) approvalPage(ctx context.Context, v *viewer, req *models.Request, st standing,
	in formInput) (*approvalPage, error) {
	student, err := p.store.StudentByNo(ctx, req.StudentNo)
	if err != nil {
		return nil, err
	}
	page := &approvalPage{Steps: viewSteps(req), IsStaff: v.Staff != nil}
	if page.Req, err = p.viewRequest(ctx, req, student); err != nil {
		return nil, err
	}
	if page.Evidence, err = p.viewEvidence(ctx, req); err != nil {
		return nil, err
	}
	if page.History, err = p.viewHistory(ctx, req, student); err != nil {
		return nil, err
	}
	page.Title = fmt.Sprintf("%s申请 第 %d 号", page.Req.KindLabel, req.ID)

	if cur := req.Current(); cur != nil && req.Status == models.RequestPending {
		page.Waiting = models.RoleLabel(cur.Role)
	}
	if st.access == accessDecide {
		page.Form, err = p.decisionForm(ctx, v, req, student, in)
		return page, err
	}
	page.Decided = lastDecided(req, st.mine)
	return page, nil
}

// lastDecided returns the latest of the visitor's steps that is decided.
func lastDecided(req *models.Request, mine []int) *stepView {
	for k := len(mine) - 1; k >= 0; k-- {
		s := &req.Steps[mine[k]]
		if s.Status != models.StepWaiting {
			v := viewStep(s)
			return &v
		}
	}
	return nil
}

// decisionForm makes the form for the current step.
func (p *Pages) decisionForm(ctx context.Context, v *viewer, req *models.Request,
	student *models.Student, in formInput) (*decisionForm, error) {
	cur := req.Current()
	f := &decisionForm{
		CSRF: p.csrfToken(v.session, approveScope(req.ID)), StepID: cur.ID,
		RoleLabel: models.RoleLabel(cur.Role), Comment: in.Comment,
		MaxComment: models.MaxComment,
	}
	if !needsClass(req, cur) {
		return f, nil
	}
	rows, err := schoolClasses(ctx, p.store.DB())
	if err != nil {
		return nil, err
	}
	f.NeedClass = true
	f.Groups = classGroups(rows, student.ClassCode, in.TargetClass)
	return f, nil
}

// needsClass reports whether the step is a demotion's final step, whose
// approval names the new class.
func needsClass(req *models.Request, step *models.Step) bool {
	rule, ok := models.RuleFor(req.Kind)
	return ok && rule.Effect == models.EffectDemote && step.Seq == len(rule.Chain)-1
}

// classGroups groups the classes by college, leaving out the student's.
func classGroups(rows []classRow, current, selected string) []classGroup {
	var out []classGroup
	for _, r := range rows {
		if r.Code == current {
			continue
		}
		if len(out) == 0 || out[len(out)-1].College != collegeLabel(r) {
			out = append(out, classGroup{College: collegeLabel(r)})
		}
		g := &out[len(out)-1]
		g.Classes = append(g.Classes, classOption{Code: r.Code, Name: r.Name,
			Selected: r.Code == selected})
	}
	return out
}

func collegeLabel(r classRow) string {
	if r.CollegeName != "" {
		return r.CollegeName
	}
	return r.CollegeCode
}

// approveScope is what the approval form's CSRF token is good for.
func approveScope(id uint64) string { return "approve:" + strconv.FormatUint(id, 10) }

// approvePath is the approval page of a request.
func approvePath(id uint64) string { return "/h5/approve/" + strconv.FormatUint(id, 10) }

// maskOpenID shortens an openid for logs: its first four characters.
func maskOpenID(openID string) string {
	if len(openID) <= 4 {
		return "…"
	}
	return openID[:4] + "…"
}
