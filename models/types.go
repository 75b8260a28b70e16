package models

import (
	"strings"
	"time"
)

// College is a 学院.
type College struct {
	Code string `gorm:"primaryKey;size:16"`
	Name string `gorm:"size:64;not null"`
}

// Level is a class's programme level.
type Level string

// Programme levels of the classes table's 层次 column.
const (
	LevelUndergraduate Level = "undergraduate" // 本科
	LevelPrep          Level = "prep"          // 预科
)

// Class is a 班级: students of one cohort and major, with one advisor.
type Class struct {
	Code        string `gorm:"primaryKey;size:16"`
	Name        string `gorm:"size:64;not null"`
	CollegeCode string `gorm:"size:16;not null;index"`
	Major       string `gorm:"size:64"`
	Grade       int    // year of entry of the cohort, e.g. 2024
	Level       Level  `gorm:"size:16;not null"`
	AdvisorNo   string `gorm:"size:32;index"`
}

// Staff is a member of staff, identified by 工号, holding one or more roles.
type Staff struct {
	No          string `gorm:"primaryKey;size:32"`
	Name        string `gorm:"size:64;not null"`
	CollegeCode string `gorm:"size:16;index"`
	// Roles holds the roles joined by ";" in a fixed order.
	Roles string `gorm:"size:128;not null"`
	// ActivationHash is the keyed hash of the activation code; never the code.
	ActivationHash string  `gorm:"size:64;not null"`
	OpenID         *string `gorm:"size:64;uniqueIndex"`
	BoundAt        *time.Time
	// MiniOpenID is the mini-program account bound to the staff member;
	// the mini-program has openids of its own.
	MiniOpenID *string `gorm:"size:64;uniqueIndex"`
	UpdatedAt  time.Time
}

// HasRole reports whether the staff member holds the role.
func (s *Staff) HasRole(r Role) bool {
	for _, x := range strings.Split(s.Roles, ";") {
		if Role(x) == r {
			return true
		}
	}
	return false
}

// StudentStatus is a student's 学籍状态.
type StudentStatus string

// Student statuses of the students table.
const (
	StatusEnrolled  StudentStatus = "enrolled"  // 在读
	StatusSuspended StudentStatus = "suspended" // 休学
	StatusWithdrawn StudentStatus = "withdrawn" // 退学
)

// Student is a 学生, identified by 学号.
type Student struct {
	No         string        `gorm:"primaryKey;size:32"`
	Name       string        `gorm:"size:64;not null"`
	Gender     string        `gorm:"size:8"`
	ClassCode  string        `gorm:"size:16;not null;index"`
	Class      *Class        `gorm:"foreignKey:ClassCode;references:Code"`
	EnrolledOn time.Time     `gorm:"type:date"`
	Status     StudentStatus `gorm:"size:16;not null;index"`
	// IDHash is the keyed hash of the last six ID characters; never the digits.
	IDHash string  `gorm:"size:64;not null"`
	OpenID *string `gorm:"size:64;uniqueIndex"`
	// SuspendedUntil is when a granted suspension ends (rule 6).
	SuspendedUntil *time.Time
	// SuspendReason is the reason of the suspension now in force.
	SuspendReason string `gorm:"size:64"`
	// SuspendStudyYear is the year of study (1 = first) when suspended.
	SuspendStudyYear int
	// PrepRepeats counts granted preparatory-year repeats.
	PrepRepeats int
	// ImportedStatus and ImportedClass are the values the last import
	// brought. A re-import whose file still says the same keeps what the
	// workflow changed since (a granted suspension, a demotion); a file
	// that says something new wins.
	ImportedStatus StudentStatus `gorm:"size:16"`
	ImportedClass  string        `gorm:"size:16"`
	BoundAt        *time.Time
	// MiniOpenID is the mini-program account bound to the student.
	MiniOpenID *string `gorm:"size:64;uniqueIndex"`
	UpdatedAt  time.Time
}

// Course is a 课程 offered by a college and taught by one teacher.
type Course struct {
	Code        string  `gorm:"primaryKey;size:32"`
	Name        string  `gorm:"size:128;not null;index"`
	Credits     float64 `gorm:"not null"`
	CollegeCode string  `gorm:"size:16;not null"`
	TeacherNo   string  `gorm:"size:32"`
}

// PlanEntry puts a course in a class's training plan (培养方案).
type PlanEntry struct {
	ClassCode  string `gorm:"primaryKey;size:16"`
	CourseCode string `gorm:"primaryKey;size:32"`
}

// RequestStatus is where a request stands.
type RequestStatus string

// Request statuses of the external contract.
const (
	RequestPending  RequestStatus = "pending"
	RequestReturned RequestStatus = "returned"
	RequestApproved RequestStatus = "approved"
	RequestRejected RequestStatus = "rejected"
	RequestExpired  RequestStatus = "expired"
	RequestDeleted  RequestStatus = "deleted"
)

// Open reports whether the request still awaits approval or correction.
func (s RequestStatus) Open() bool {
	return s == RequestPending || s == RequestReturned
}

// Request is one student's application of one kind.
type Request struct {
	ID uint64 `gorm:"primaryKey"`
	// Kind, StudentNo and CourseCode are unique among open requests (rule 5).
	Kind       Kind          `gorm:"size:16;not null;uniqueIndex:idx_requests_one_open,priority:2,where:status = 'pending' OR status = 'returned'"`
	Status     RequestStatus `gorm:"size:16;not null;index"`
	StudentNo  string        `gorm:"size:32;not null;uniqueIndex:idx_requests_one_open,priority:1,where:status = 'pending' OR status = 'returned'"`
	Reason     string        `gorm:"size:64;not null"`
	CourseCode string        `gorm:"size:32;not null;default:'';uniqueIndex:idx_requests_one_open,priority:3,where:status = 'pending' OR status = 'returned'"`
	CourseName string        `gorm:"size:128"`
	// Phones holds the contact numbers joined by ",".
	Phones  string `gorm:"size:128;not null"`
	Details string `gorm:"size:2000"`
	// TargetClass is the class a granted demotion moves the student to.
	TargetClass string `gorm:"size:16"`
	SubmittedAt time.Time
	// Deadline is the end of the tenth day after submission, China time.
	Deadline  time.Time `gorm:"index"`
	ClosedAt  *time.Time
	Version   int    `gorm:"not null;default:1"`
	Steps     []Step `gorm:"foreignKey:RequestID"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PhoneList returns the request's phone numbers.
func (r *Request) PhoneList() []string {
	if r.Phones == "" {
		return nil
	}
	return strings.Split(r.Phones, ",")
}

// StepStatus is where one approval step stands.
type StepStatus string

// Step statuses of the external contract.
const (
	StepWaiting  StepStatus = "waiting"
	StepApproved StepStatus = "approved"
	StepRejected StepStatus = "rejected"
	StepReturned StepStatus = "returned"
)

// Step is one approval step of a request. A returned step stays in the
// history and a new waiting step of the same Seq takes its place.
type Step struct {
	ID        uint64 `gorm:"primaryKey"`
	RequestID uint64 `gorm:"not null;index"`
	// Seq is the step's place in the kind's chain, from 0.
	Seq   int   `gorm:"not null"`
	Role  Role  `gorm:"size:16;not null"`
	Scope Scope `gorm:"size:16;not null"`
	// ScopeCode is the class or college code the scope resolved to.
	ScopeCode   string     `gorm:"size:16;index"`
	Status      StepStatus `gorm:"size:16;not null"`
	DecidedBy   string     `gorm:"size:32"`
	DeciderName string     `gorm:"size:64"`
	DecidedAt   *time.Time
	Comment     string `gorm:"size:1000"`
}

// EvidenceStatus says whether a photo's file has been fetched.
type EvidenceStatus string

// Evidence statuses.
const (
	EvidencePending EvidenceStatus = "pending" // sent; not yet downloaded
	EvidenceStored  EvidenceStatus = "stored"  // kept under XUEWU_DATA
	EvidenceFailed  EvidenceStatus = "failed"  // could not be fetched or was refused
)

// Evidence is a photo a student sent for a request.
type Evidence struct {
	ID        uint64 `gorm:"primaryKey"`
	RequestID uint64 `gorm:"not null;index"`
	// MediaID is WeChat's id of the photo; WeChat keeps it three days.
	MediaID     string         `gorm:"size:128;not null"`
	Status      EvidenceStatus `gorm:"size:16;not null;default:pending"`
	Path        string         `gorm:"size:256"`
	ContentType string         `gorm:"size:64"`
	Size        int64
	CreatedAt   time.Time
}

// Event is one entry of a request's audit trail: who did what, when, and
// how the status changed.
type Event struct {
	ID         uint64 `gorm:"primaryKey"`
	RequestID  uint64 `gorm:"not null;index"`
	At         time.Time
	Actor      string        `gorm:"size:48;not null"`
	Action     string        `gorm:"size:32;not null"`
	FromStatus RequestStatus `gorm:"size:16"`
	ToStatus   RequestStatus `gorm:"size:16"`
	Comment    string        `gorm:"size:1000"`
}

// Reminder records that a reminder fell due, once per subject and kind, so
// that a sweep run twice records (and later sends) it once.
type Reminder struct {
	ID uint64 `gorm:"primaryKey"`
	// Subject is "request:<id>" or "student:<学号>".
	Subject string `gorm:"size:64;not null;uniqueIndex:idx_reminder_once,priority:1"`
	Kind    string `gorm:"size:32;not null;uniqueIndex:idx_reminder_once,priority:2"`
	// Until is the deadline or suspension end the reminder is about.
	Until     time.Time `gorm:"not null;uniqueIndex:idx_reminder_once,priority:3"`
	DueAt     time.Time `gorm:"not null"`
	CreatedAt time.Time
}

// Setting is a named value the installation keeps, such as the hash key.
type Setting struct {
	Name  string `gorm:"primaryKey;size:64"`
	Value string `gorm:"size:256;not null"`
}

// allModels lists every stored type, in creation order.
var allModels = []any{
	&College{}, &Class{}, &Staff{}, &Student{}, &Course{}, &PlanEntry{},
	&Request{}, &Step{}, &Evidence{}, &Event{}, &Reminder{}, &Setting{}, &Delivery{},
}
