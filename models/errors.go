package models

import "errors"

// Sentinel errors of the domain. A refusal wraps one of them, so callers
// can test the cause with errors.Is and show the refusal's sentence.
var (
	ErrNotFound    = errors.New("not found")
	ErrInvalid     = errors.New("invalid input")
	ErrIneligible  = errors.New("not eligible")
	ErrDuplicate   = errors.New("an open request of this kind exists")
	ErrNotOwner    = errors.New("not the owner of the request")
	ErrLocked      = errors.New("request is locked after the first decision")
	ErrNotPending  = errors.New("request is not pending")
	ErrNotApprover = errors.New("not the approver of the current step")
	ErrConflict    = errors.New("request changed concurrently")
)

// Refusal is an operation refused by a rule, with the sentence (in
// Chinese) to show the student or staff member.
type Refusal struct {
	Cause   error
	Message string
	// Courses holds the closest matches when a course was not found.
	Courses []Course
}

func (r *Refusal) Error() string { return r.Cause.Error() + ": " + r.Message }

// Unwrap returns the sentinel the refusal stands for.
func (r *Refusal) Unwrap() error { return r.Cause }

func refuse(cause error, msg string) *Refusal {
	return &Refusal{Cause: cause, Message: msg}
}

// UserMessage returns the sentence to show a user for err: the refusal's
// own sentence, or a general apology for an internal failure.
func UserMessage(err error) string {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Message
	}
	if errors.Is(err, ErrNotFound) {
		return msgNotFound
	}
	return msgInternal
}

func isConflict(err error) bool { return errors.Is(err, ErrConflict) }
