package models

// NoticeType names an event that someone should be told about.
type NoticeType string

// Events the workflow hands to the outbox.
const (
	// NoticeStepReady: a step awaits its approver (new, next or resumed).
	NoticeStepReady NoticeType = "step_ready"
	// NoticeStepDecided: the student is told of one step's approval.
	NoticeStepDecided NoticeType = "step_decided"
	// NoticeReturned: the request came back to the student for changes.
	NoticeReturned NoticeType = "returned"
	// NoticeApproved: final approval, with its effect.
	NoticeApproved NoticeType = "approved"
	// NoticeRejected: a step rejected the request.
	NoticeRejected NoticeType = "rejected"
	// NoticeExpired: the deadline passed before final approval.
	NoticeExpired NoticeType = "expired"
	// NoticeReminder: a reminder fell due (deadline or suspension end).
	NoticeReminder NoticeType = "reminder"
	// NoticeEvidence: a photo arrived and its file must be fetched.
	NoticeEvidence NoticeType = "evidence"
	// NoticeBound: someone bound their account; send what waited for it.
	NoticeBound NoticeType = "bound"
)

// Notice is one event for the outbox. It carries identifiers only; the
// sender loads what it needs when it delivers, so it tells current facts.
type Notice struct {
	Type      NoticeType
	RequestID uint64 `json:",omitempty"`
	StudentNo string `json:",omitempty"`
	// StaffNo is the staff member concerned, for binding notices.
	StaffNo string `json:",omitempty"`
	// StepID is the step concerned, for step notices.
	StepID uint64 `json:",omitempty"`
	// Reminder is the reminder's kind, for reminder notices.
	Reminder string `json:",omitempty"`
	// ReminderID makes each reminder notice unique.
	ReminderID uint64 `json:",omitempty"`
	// EvidenceID is the photo to fetch, for evidence notices.
	EvidenceID uint64 `json:",omitempty"`
}
