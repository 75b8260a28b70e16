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

// pendingScope is what the pending list's CSRF token is good for.
const pendingScope = "pending"

// maxBulk is how many requests one bulk approval may name.
const maxBulk = 50

// pendingPage is the staff member's list of requests to decide.
type pendingPage struct {
	Title     string
	StaffName string
	Items     []pendingItem
	CSRF      string
	Error     string
	Bulk      bool
}

// pendingItem is one request waiting for the staff member.
type pendingItem struct {
	ID          uint64
	StepID      uint64
	StudentName string
	StudentNo   string
	ClassName   string
	KindLabel   string
	Reason      string
	CourseCode  string
	CourseName  string
	RoleLabel   string
	Deadline    string
	DaysLeft    string
	// Bulk is false for a demotion's final step, which needs a class.
	Bulk bool
}

// bulkPage reports a bulk approval, one line per request.
type bulkPage struct {
	Title   string
	Results []bulkResult
}

// bulkResult is the outcome of approving one request.
type bulkResult struct {
	ID      uint64
	Label   string
	OK      bool
	Message string
}

// showPending serves GET /h5/pending.
func (p *Pages) showPending(c *gin.Context) {
	v := viewerOf(c)
	if v.Staff == nil {
		p.message(c, http.StatusForbidden, titleError, msgStaffOnly, "")
		return
	}
	p.renderPending(c, http.StatusOK, v, "")
}

func (p *Pages) renderPending(c *gin.Context, status int, v *viewer, errMsg string) {
	items, err := p.pendingItems(c.Request.Context(), v.Staff)
	if err != nil {
		p.fail(c, "list pending requests", err)
		return
	}
	page := pendingPage{Title: "待我审批", StaffName: v.Staff.Name, Items: items,
		CSRF: p.csrfToken(v.session, pendingScope), Error: errMsg}
	for _, it := range items {
		page.Bulk = page.Bulk || it.Bulk
	}
	p.render(c, status, "pending", page)
}

// pendingItems returns the requests whose current step names the staff
// member: narrowed in SQL, then confirmed with CanDecide.
func (p *Pages) pendingItems(ctx context.Context, staff *models.Staff) ([]pendingItem, error) {
	reqs, err := pendingFor(ctx, p.store.DB(), staff)
	if err != nil {
		return nil, err
	}
	students, err := p.studentsOf(ctx, reqs)
	if err != nil {
		return nil, err
	}

	var out []pendingItem
	for i := range reqs {
		req := &reqs[i]
		cur := req.Current()
		if cur == nil {
			continue
		}
		ok, err := p.store.CanDecide(ctx, staff, cur)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, p.pendingItem(req, cur, students[req.StudentNo]))
		}
	}
	return out, nil
}

func (p *Pages) pendingItem(req *models.Request, cur *models.Step, st models.Student) pendingItem {
	it := pendingItem{
		ID: req.ID, StepID: cur.ID, StudentName: st.Name, StudentNo: req.StudentNo,
		ClassName: st.ClassCode, KindLabel: kindLabel(req.Kind), Reason: req.Reason,
		CourseCode: req.CourseCode, CourseName: req.CourseName,
		RoleLabel: models.RoleLabel(cur.Role), Deadline: when(req.Deadline),
		DaysLeft: daysLeft(p.now(), req.Deadline), Bulk: !needsClass(req, cur),
	}
	if st.Class != nil {
		it.ClassName = st.Class.Name
	}
	return it
}

// studentsOf returns the students of the requests, by 学号.
func (p *Pages) studentsOf(ctx context.Context,
	reqs []models.Request) (map[string]models.Student, error) {
	nos := make([]string, 0, len(reqs))
	for i := range reqs {
		nos = append(nos, reqs[i].StudentNo)
	}
	return studentsByNo(ctx, p.store.DB(), nos)
}

// bulkApprove serves POST /h5/pending: it approves each checked request
// whose step the form showed is still current and names the staff member,
// and reports each outcome.
func (p *Pages) bulkApprove(c *gin.Context) {
	v := viewerOf(c)
	if v.Staff == nil {
		p.message(c, http.StatusForbidden, titleError, msgStaffOnly, "")
		return
	}
	if !p.checkPost(c, v, pendingScope) {
		return
	}
	ids := uniqueIDs(c.PostFormArray("ids"))
	switch {
	case len(ids) == 0:
		p.renderPending(c, http.StatusUnprocessableEntity, v, msgNoSelection)
		return
	case len(ids) > maxBulk:
		p.renderPending(c, http.StatusUnprocessableEntity, v, fmt.Sprintf(msgTooMany, maxBulk))
		return
	}

	page := bulkPage{Title: "批量审批结果"}
	for _, id := range ids {
		stepID, _ := strconv.ParseUint(c.PostForm("step_"+strconv.FormatUint(id, 10)), 10, 64)
		page.Results = append(page.Results, p.approveOne(c.Request.Context(), v.Staff, id, stepID))
	}
	p.render(c, http.StatusOK, "bulk", page)
}

// approveOne approves one request of a bulk approval.
func (p *Pages) approveOne(ctx context.Context, staff *models.Staff, id, stepID uint64) bulkResult {
	res := bulkResult{ID: id}
	req, err := p.store.RequestByID(ctx, id)
	if err != nil {
		return p.bulkFailure(ctx, res, err)
	}
	res.Label = kindLabel(req.Kind)
	if cur := req.Current(); cur != nil && needsClass(req, cur) {
		res.Message = msgBulkClass
		return res
	}
	if msg := staleStep(req, stepID, staff); msg != "" {
		res.Message = msg
		return res
	}

	_, err = p.store.Decide(ctx, models.Decision{RequestID: id, StaffNo: staff.No,
		Action: models.ActionApprove})
	if err != nil {
		return p.bulkFailure(ctx, res, err)
	}
	p.log.InfoContext(ctx, "h5 decision", "request_id", id, "step", stepID,
		"action", string(models.ActionApprove), "staff_no", staff.No, "bulk", true)
	res.OK, res.Message = true, msgBulkDone
	return res
}

// bulkFailure reports a refusal's sentence, or logs an internal error.
func (p *Pages) bulkFailure(ctx context.Context, res bulkResult, err error) bulkResult {
	var ref *models.Refusal
	if !errors.As(err, &ref) && !errors.Is(err, models.ErrNotFound) {
		p.log.ErrorContext(ctx, "h5 bulk approval failed", "request_id", res.ID, "error", err)
	}
	res.Message = models.UserMessage(err)
	return res
}

// uniqueIDs parses the checked IDs, dropping repeats and anything that is
// not an ID.
func uniqueIDs(raw []string) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	for _, s := range raw {
		id, err := strconv.ParseUint(s, 10, 64)
		if err != nil || id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}
