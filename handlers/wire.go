package handlers

import (
	"time"

	"github.com/imut/xuewu/models"
)

// requestStatuses are the request statuses of the external contract.
var requestStatuses = []models.RequestStatus{
	models.RequestPending, models.RequestReturned, models.RequestApproved,
	models.RequestRejected, models.RequestExpired, models.RequestDeleted,
}

// requestPage is one page of the admin API's list: the requests (the JSON
// body) and where the next page starts (a header), nil on the last page.
type requestPage struct {
	Requests    []requestJSON
	NextAfterID *uint64
}

// requestJSON is a request as the admin API shows it. Phones and details
// are left out: they are personal and the contract does not list them.
type requestJSON struct {
	ID          uint64     `json:"id"`
	Kind        string     `json:"kind"`
	Status      string     `json:"status"`
	StudentNo   string     `json:"student_no"`
	CourseCode  string     `json:"course_code"`
	CourseName  string     `json:"course_name"`
	Reason      string     `json:"reason"`
	SubmittedAt string     `json:"submitted_at"`
	Deadline    string     `json:"deadline"`
	Steps       []stepJSON `json:"steps"`
}

// stepJSON is one approval step; DecidedBy (a 工号) and DecidedAt are null
// while the step waits.
type stepJSON struct {
	Role      string  `json:"role"`
	Status    string  `json:"status"`
	DecidedBy *string `json:"decided_by"`
	DecidedAt *string `json:"decided_at"`
	Comment   string  `json:"comment"`
}

// toRequestPage converts up to limit requests; more than limit means that
// another page follows the last one shown.
func toRequestPage(reqs []models.Request, limit int) requestPage {
	page := requestPage{Requests: make([]requestJSON, 0, min(len(reqs), limit))}
	if len(reqs) > limit {
		reqs = reqs[:limit]
		next := reqs[limit-1].ID
		page.NextAfterID = &next
	}
	for i := range reqs {
		page.Requests = append(page.Requests, toRequestJSON(&reqs[i]))
	}
	return page
}

func toRequestJSON(r *models.Request) requestJSON {
	out := requestJSON{
		ID:          r.ID,
		Kind:        string(r.Kind),
		Status:      string(r.Status),
		StudentNo:   r.StudentNo,
		CourseCode:  r.CourseCode,
		CourseName:  r.CourseName,
		Reason:      r.Reason,
		SubmittedAt: chinaTime(r.SubmittedAt),
		Deadline:    chinaTime(r.Deadline),
		Steps:       make([]stepJSON, 0, len(r.Steps)),
	}
	for i := range r.Steps {
		out.Steps = append(out.Steps, toStepJSON(&r.Steps[i]))
	}
	return out
}

func toStepJSON(s *models.Step) stepJSON {
	out := stepJSON{Role: string(s.Role), Status: string(s.Status), Comment: s.Comment}
	if s.DecidedBy != "" {
		by := s.DecidedBy
		out.DecidedBy = &by
	}
	if s.DecidedAt != nil {
		at := chinaTime(*s.DecidedAt)
		out.DecidedAt = &at
	}
	return out
}

// chinaTime formats t as RFC3339 in China time (+08:00), to the second.
func chinaTime(t time.Time) string {
	return models.ChinaTime(t).Format(time.RFC3339)
}
