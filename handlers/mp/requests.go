package mp

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// listLimit is how many requests the student's list shows, newest first.
const listLimit = 20

// requestsJSON answers GET /api/mp/requests.
type requestsJSON struct {
	Requests []requestJSON `json:"requests"`
}

// listRequests answers the student's own requests, as 我的申请 does.
func (a *API) listRequests(c *gin.Context) {
	st := callerOf(c).Student
	reqs, err := a.store.StudentRequests(c.Request.Context(), st.No, listLimit)
	if err != nil {
		a.internal(c, "list requests", err)
		return
	}
	out := requestsJSON{Requests: make([]requestJSON, 0, len(reqs))}
	for i := range reqs {
		out.Requests = append(out.Requests, a.toRequestJSON(&reqs[i], st.No))
	}
	c.JSON(http.StatusOK, out)
}

// showRequest answers one of the student's own requests, with its steps.
func (a *API) showRequest(c *gin.Context) {
	st := callerOf(c).Student
	id, ok := requestID(c)
	if !ok {
		return
	}
	req, err := a.store.OwnRequest(c.Request.Context(), st.No, id)
	if err != nil {
		a.refuse(c, "load request", err)
		return
	}
	c.JSON(http.StatusOK, a.toDetailJSON(req, st.No))
}

// draftJSON is the body of POST and PUT /api/mp/requests: what the
// student fills in. A PUT may leave kind out; it cannot change it.
type draftJSON struct {
	Kind       string   `json:"kind"`
	Reason     string   `json:"reason"`
	CourseCode string   `json:"course_code"`
	CourseName string   `json:"course_name"`
	Phones     []string `json:"phones"`
	Details    string   `json:"details"`
}

// readDraft decodes and checks the body; it answers a bad one itself.
func readDraft(c *gin.Context) (models.Draft, bool) {
	var in draftJSON
	if !decode(c, &in) {
		return models.Draft{}, false
	}
	texts := append([]string{in.Kind, in.Reason, in.CourseCode, in.CourseName, in.Details},
		in.Phones...)
	if !cleanText(texts...) {
		fail(c, http.StatusBadRequest, msgBadText)
		return models.Draft{}, false
	}
	return models.Draft{Kind: models.Kind(strings.TrimSpace(in.Kind)), Reason: in.Reason,
		CourseCode: in.CourseCode, CourseName: in.CourseName, Phones: in.Phones,
		Details: in.Details}, true
}

// filedJSON answers a submission or an edit: the request, its deadline,
// who signs next, and the printable form.
type filedJSON struct {
	Request    requestDetailJSON `json:"request"`
	Deadline   string            `json:"deadline"`
	NextSigner string            `json:"next_signer"`
	PrintURL   string            `json:"print_url"`
}

// createRequest files a new request through the workflow; a rule it
// breaks is answered 422 with the reason, and nothing is stored.
func (a *API) createRequest(c *gin.Context) {
	st := callerOf(c).Student
	d, ok := readDraft(c)
	if !ok {
		return
	}

	ctx := c.Request.Context()
	req, err := a.store.Submit(ctx, st.No, d)
	if err != nil {
		a.refuse(c, "submit request", err)
		return
	}
	a.log.InfoContext(ctx, "request filed from the mini-program", "request_id", req.ID,
		"kind", string(req.Kind))
	a.answerFiled(c, http.StatusCreated, req, st.No)
}

// editRequest changes the answers of the student's own request, while
// the workflow allows it (rule 3).
func (a *API) editRequest(c *gin.Context) {
	st := callerOf(c).Student
	id, ok := requestID(c)
	if !ok {
		return
	}
	d, ok := readDraft(c)
	if !ok {
		return
	}

	ctx := c.Request.Context()
	old, err := a.store.OwnRequest(ctx, st.No, id)
	if err != nil {
		a.refuse(c, "load request", err)
		return
	}
	if d.Kind != "" && d.Kind != old.Kind {
		fail(c, http.StatusUnprocessableEntity, msgKindChange)
		return
	}
	req, err := a.store.Edit(ctx, st.No, id, d)
	if err != nil {
		a.refuse(c, "edit request", err)
		return
	}
	a.log.InfoContext(ctx, "request edited from the mini-program", "request_id", req.ID,
		"kind", string(req.Kind))
	a.answerFiled(c, http.StatusOK, req, st.No)
}

// deletedJSON answers a deletion.
type deletedJSON struct {
	ID     uint64 `json:"id"`
	Status string `json:"status"`
}

// deleteRequest withdraws the student's own request, while the workflow
// allows it (rule 3).
func (a *API) deleteRequest(c *gin.Context) {
	st := callerOf(c).Student
	id, ok := requestID(c)
	if !ok {
		return
	}

	ctx := c.Request.Context()
	if err := a.store.Delete(ctx, st.No, id); err != nil {
		a.refuse(c, "delete request", err)
		return
	}
	a.log.InfoContext(ctx, "request deleted from the mini-program", "request_id", id)
	c.JSON(http.StatusOK, deletedJSON{ID: id, Status: string(models.RequestDeleted)})
}

// answerFiled answers with the request, its deadline, the next signer
// and the print link.
func (a *API) answerFiled(c *gin.Context, status int, req *models.Request, studentNo string) {
	next, err := a.nextSigner(c.Request.Context(), req)
	if err != nil {
		a.internal(c, "find next signer", err)
		return
	}
	c.JSON(status, filedJSON{Request: a.toDetailJSON(req, studentNo),
		Deadline: chinaTime(req.Deadline), NextSigner: next, PrintURL: a.printURL(req.ID)})
}

// nextSigner names the role of the current step and, when there are at
// most three of them, the staff who hold it.
func (a *API) nextSigner(ctx context.Context, req *models.Request) (string, error) {
	cur := req.Current()
	if cur == nil {
		return "", nil
	}
	who := models.RoleLabel(cur.Role)
	staff, err := a.store.Approvers(ctx, cur)
	if err != nil {
		return "", err
	}
	if len(staff) == 0 || len(staff) > 3 {
		return who, nil
	}
	names := make([]string, len(staff))
	for i := range staff {
		names[i] = staff[i].Name
	}
	return who + "（" + strings.Join(names, "、") + teacherSuffix + "）", nil
}

// requestID reads the :id of the path; a malformed one is answered 404.
func requestID(c *gin.Context) (uint64, bool) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		fail(c, http.StatusNotFound, msgNoRequest)
		return 0, false
	}
	return id, true
}
