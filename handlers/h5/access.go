package h5

import (
	"context"

	"github.com/imut/xuewu/models"
)

// access is what a visitor may do with a request.
type access int

// Levels of access, each including the one before.
const (
	// accessNone: not the student, an approver of its chain or an admin.
	accessNone access = iota
	// accessRead: may see the request, read-only.
	accessRead
	// accessDecide: the current step names the visitor.
	accessDecide
)

// standing is the visitor's access to a request and, for staff, the steps
// of its chain that are theirs (they may decide them, or did).
type standing struct {
	access access
	mine   []int
}

// standingOf works out what the visitor may do with the request: its
// student and admins may read it, the approvers of any of its steps may
// read it, and the one whom the current step names may decide it.
func (p *Pages) standingOf(ctx context.Context, v *viewer, req *models.Request) (standing, error) {
	if v.Student != nil {
		if v.Student.No == req.StudentNo {
			return standing{access: accessRead}, nil
		}
		return standing{}, nil
	}
	if v.Staff == nil {
		return standing{}, nil
	}

	var s standing
	for i := range req.Steps {
		step := &req.Steps[i]
		ok, err := p.store.CanDecide(ctx, v.Staff, step)
		if err != nil {
			return standing{}, err
		}
		if ok || step.DecidedBy == v.Staff.No {
			s.mine = append(s.mine, i)
		}
	}
	switch {
	case decides(req, s.mine):
		s.access = accessDecide
	case len(s.mine) > 0 || v.Staff.HasRole(models.RoleAdmin):
		s.access = accessRead
	}
	return s, nil
}

// decides reports whether the request is pending and its current step is
// among the visitor's steps. A waiting step is among them only when
// CanDecide said so, as nobody has decided it yet.
func decides(req *models.Request, mine []int) bool {
	cur := req.Current()
	if req.Status != models.RequestPending || cur == nil {
		return false
	}
	for _, i := range mine {
		if req.Steps[i].ID == cur.ID {
			return true
		}
	}
	return false
}
