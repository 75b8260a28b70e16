package mp

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// kindsJSON answers GET /api/mp/kinds.
type kindsJSON struct {
	Kinds []kindJSON `json:"kinds"`
}

// kinds answers the rules table: every kind with its reasons, evidence,
// fields and chain, and for a student whether each may be filed now.
func (a *API) kinds(c *gin.Context) {
	ctx := c.Request.Context()
	st := callerOf(c).Student
	out := kindsJSON{Kinds: make([]kindJSON, 0, len(models.Rules))}
	for i := range models.Rules {
		k := toKindJSON(&models.Rules[i])
		if st != nil {
			err := a.store.CheckEligible(ctx, st.No, models.Rules[i].Kind)
			var r *models.Refusal
			if err != nil && !errors.As(err, &r) {
				a.internal(c, "check eligibility", err)
				return
			}
			ok := err == nil
			k.Eligible = &ok
			if r != nil {
				k.Refusal = r.Message
			}
		}
		out.Kinds = append(out.Kinds, k)
	}
	c.JSON(http.StatusOK, out)
}

// coursesJSON answers GET /api/mp/courses.
type coursesJSON struct {
	Courses []courseJSON `json:"courses"`
}

// courses answers the courses of the student's training plan, by code.
func (a *API) courses(c *gin.Context) {
	st := callerOf(c).Student
	plan, err := a.store.PlanCourses(c.Request.Context(), st.ClassCode)
	if err != nil {
		a.internal(c, "load plan", err)
		return
	}
	out := coursesJSON{Courses: make([]courseJSON, 0, len(plan))}
	for i := range plan {
		out.Courses = append(out.Courses, toCourseJSON(&plan[i]))
	}
	c.JSON(http.StatusOK, out)
}
