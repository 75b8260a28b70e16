package h5

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// overduePage is the registrar's list of suspensions that ended with no
// resumption filed (rule 7).
type overduePage struct {
	Title string
	Items []overdueItem
}

// overdueItem is one overdue student.
type overdueItem struct {
	Name, No, ClassName, Reason, Until, Overdue string
}

// showOverdue serves GET /h5/overdue, for the registrar and admins.
func (p *Pages) showOverdue(c *gin.Context) {
	v := viewerOf(c)
	if v.Staff == nil || !v.Staff.HasRole(models.RoleRegistrar) && !v.Staff.HasRole(models.RoleAdmin) {
		p.message(c, http.StatusForbidden, titleError, msgRegistrarOnly, "")
		return
	}
	ctx := c.Request.Context()
	now := p.now
	students, err := p.store.OverdueSuspensions(ctx, now())
	if err != nil {
		p.fail(c, "list overdue suspensions", err)
		return
	}
	page := overduePage{Title: "休学期满未复学"}
	for _, st := range students {
		it := overdueItem{Name: st.Name, No: st.No, ClassName: st.ClassCode,
			Reason: st.SuspendReason, Until: when(*st.SuspendedUntil),
			Overdue: fmt.Sprintf(overdueDaysFmt, int(now().Sub(*st.SuspendedUntil).Hours()/24))}
		if st.Class != nil {
			it.ClassName = st.Class.Name
		}
		page.Items = append(page.Items, it)
	}
	p.render(c, http.StatusOK, "overdue", page)
}
