package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/imut/xuewu/bot/extract"
	"github.com/imut/xuewu/models"
)

// The questions of a form, in the order they are asked.
const (
	fieldReason  = "reason"
	fieldCourse  = "course"
	fieldPhones  = "phones"
	fieldDetails = "details"
	fieldSummary = "summary"
)

// fieldsOf lists the questions of a kind, as its rule asks them.
func fieldsOf(rule models.KindRule) []string {
	fs := []string{fieldReason}
	if rule.NeedsCourse {
		fs = append(fs, fieldCourse)
	}
	fs = append(fs, fieldPhones)
	if rule.Details {
		fs = append(fs, fieldDetails)
	}
	return fs
}

// fieldLabels name the questions in summaries and after 修改.
var fieldLabels = map[string]string{
	fieldReason: lblReason, fieldCourse: lblCourse, fieldPhones: lblPhones, fieldDetails: lblDetails,
}

// start opens a form of the kind, after the eligibility checks, filled
// with whatever the student's sentence already said.
func (b *Bot) start(ctx context.Context, st *models.Student, kind models.Kind, pre extract.Fields,
	dl *Dialog) (string, error) {
	rule, _ := models.RuleFor(kind)
	if err := b.store.CheckEligible(ctx, st.No, kind); err != nil {
		if errors.Is(err, models.ErrNotFound) || models.UserMessage(err) == "" {
			return "", err
		}
		return b.refusal(fmt.Sprintf(txtIneligible, rule.Label, models.UserMessage(err)), err)
	}

	var note string
	if old := dl.Form; old != nil && (old.Kind != kind || old.Editing != 0) {
		note = fmt.Sprintf(txtDropped, kindLabel(old.Kind))
	}
	f := &Form{Kind: kind}
	dl.Form = f
	if pre.Reason != "" {
		f.Reason = pre.Reason
		f.Back = append(f.Back, fieldReason)
	}
	if rule.NeedsCourse && pre.Course != nil {
		reason, _ := rule.Reason(f.Reason)
		if reason.AllowsCourse(pre.Course.Name) {
			f.CourseCode, f.CourseName = pre.Course.Code, pre.Course.Name
			f.Back = append(f.Back, fieldCourse)
		}
	}
	if len(pre.Phones) > 0 {
		f.Phones = pre.Phones[:min(len(pre.Phones), rule.Phones)]
		if len(f.Phones) == rule.Phones {
			f.Back = append(f.Back, fieldPhones)
		}
	}
	return note + fmt.Sprintf(txtStarted, rule.Label) + b.ask(ctx, st, f), nil
}

// refusal returns a rule's refusal as the reply; other errors stay errors.
func (b *Bot) refusal(text string, err error) (string, error) {
	var r *models.Refusal
	if errors.As(err, &r) {
		return text, nil
	}
	return "", err
}

// nextField is the first question not yet answered, or the summary.
func nextField(f *Form) string {
	rule, _ := models.RuleFor(f.Kind)
	for _, fl := range fieldsOf(rule) {
		if !slices.Contains(f.Back, fl) {
			return fl
		}
	}
	return fieldSummary
}

// ask moves the form to its next question and returns it.
func (b *Bot) ask(ctx context.Context, st *models.Student, f *Form) string {
	rule, _ := models.RuleFor(f.Kind)
	f.Field = nextField(f)
	switch f.Field {
	case fieldReason:
		return fmt.Sprintf(txtAskReason, reasonList(rule))
	case fieldCourse:
		return fmt.Sprintf(txtAskCourse, rule.Label)
	case fieldPhones:
		if rule.Phones == 1 {
			return txtAskPhone
		}
		return fmt.Sprintf(txtAskPhoneN, len(f.Phones)+1, rule.Phones)
	case fieldDetails:
		return fmt.Sprintf(txtAskDetails, models.MaxDetails)
	}
	return b.summary(f)
}

func reasonList(rule models.KindRule) string {
	lines := make([]string, len(rule.Reasons))
	for i, r := range rule.Reasons {
		lines[i] = fmt.Sprintf("%d. %s", i+1, r.Label)
	}
	return strings.Join(lines, "\n")
}

// summary lists the answers, numbered for 修改.
func (b *Bot) summary(f *Form) string {
	rule, _ := models.RuleFor(f.Kind)
	var lines []string
	for i, fl := range fieldsOf(rule) {
		lines = append(lines, fmt.Sprintf("%d. %s：%s", i+1, fieldLabels[fl], answerText(f, fl)))
	}
	text := fmt.Sprintf(txtSummary, rule.Label, strings.Join(lines, "\n"))
	if f.Editing != 0 {
		text = fmt.Sprintf(txtEditing, f.Editing) + text
	}
	return text
}

func answerText(f *Form, field string) string {
	switch field {
	case fieldReason:
		return f.Reason
	case fieldCourse:
		return f.CourseCode + " " + f.CourseName
	case fieldPhones:
		return strings.Join(f.Phones, "，")
	}
	if f.Details == "" {
		return "无"
	}
	return f.Details
}

// answer takes the student's answer to the current question.
func (b *Bot) answer(ctx context.Context, st *models.Student, f *Form, text string,
	dl *Dialog) (string, error) {
	rule, _ := models.RuleFor(f.Kind)
	var problem string
	var err error
	switch f.Field {
	case fieldReason:
		problem = answerReason(rule, f, text)
	case fieldCourse:
		problem, err = b.answerCourse(ctx, st, rule, f, text)
	case fieldPhones:
		problem = answerPhones(rule, f, text)
	case fieldDetails:
		problem = answerDetails(f, text)
	default:
		return b.summary(f), nil
	}
	if err != nil || problem != "" {
		return problem, err
	}
	return b.ask(ctx, st, f), nil
}

// done marks a question answered.
func (f *Form) done(field string) {
	if !slices.Contains(f.Back, field) {
		f.Back = append(f.Back, field)
	}
}

func answerReason(rule models.KindRule, f *Form, text string) string {
	label, ok := extract.ReasonOf(rule, text)
	if !ok {
		return fmt.Sprintf(txtBadChoice, clip(text, 20), reasonList(rule))
	}
	f.Reason = label
	f.done(fieldReason)
	if reason, _ := rule.Reason(label); f.CourseName != "" && !reason.AllowsCourse(f.CourseName) {
		f.CourseCode, f.CourseName = "", ""
		f.Back = slices.DeleteFunc(f.Back, func(s string) bool { return s == fieldCourse })
	}
	return ""
}

func (b *Bot) answerCourse(ctx context.Context, st *models.Student, rule models.KindRule, f *Form,
	text string) (string, error) {
	plan, err := b.store.PlanCourses(ctx, st.ClassCode)
	if err != nil {
		return "", err
	}
	var course *models.Course
	if n, err := strconv.Atoi(strings.TrimSpace(text)); err == nil && n >= 1 && n <= len(f.Choices) {
		course = findCourse(plan, f.Choices[n-1])
	}
	if course == nil {
		var candidates []models.Course
		course, candidates = extract.CourseOf(text, plan)
		if course == nil && len(candidates) > 0 {
			f.Choices = codes(candidates)
			return fmt.Sprintf(txtCourseMany, clip(text, 20), courseList(candidates)), nil
		}
	}
	if course == nil {
		near := models.ClosestCourses(plan, text, 3)
		f.Choices = codes(near)
		reply := fmt.Sprintf(txtCourseNone, clip(text, 20))
		if len(near) == 0 {
			return reply + txtCourseAsk, nil
		}
		return reply + fmt.Sprintf(txtCourseNear, courseList(near)), nil
	}

	reason, _ := rule.Reason(f.Reason)
	if !reason.AllowsCourse(course.Name) {
		return fmt.Sprintf(txtIneligible, rule.Label,
			fmt.Sprintf("“%s”的申请原因为%s时只能选择%s课程。", course.Name, reason.Label,
				strings.Join(reason.Courses, "、"))), nil
	}
	f.CourseCode, f.CourseName, f.Choices = course.Code, course.Name, nil
	f.done(fieldCourse)
	return "", nil
}

func findCourse(plan []models.Course, code string) *models.Course {
	for i := range plan {
		if plan[i].Code == code {
			return &plan[i]
		}
	}
	return nil
}

func codes(cs []models.Course) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}

func courseList(cs []models.Course) string {
	lines := make([]string, len(cs))
	for i, c := range cs {
		lines[i] = fmt.Sprintf("%d. %s %s", i+1, c.Code, c.Name)
	}
	return strings.Join(lines, "\n")
}

func answerPhones(rule models.KindRule, f *Form, text string) string {
	found := extract.Phones(text)
	if len(found) == 0 {
		return fmt.Sprintf("“%s”不是有效的电话号码。", clip(text, 20)) + txtHelpPhone
	}
	var repeated []string
	for _, p := range found {
		switch {
		case len(f.Phones) == rule.Phones:
		case slices.Contains(f.Phones, p):
			repeated = append(repeated, p)
		default:
			f.Phones = append(f.Phones, p)
		}
	}
	if len(f.Phones) == rule.Phones {
		f.done(fieldPhones)
		return ""
	}
	if len(repeated) > 0 {
		return fmt.Sprintf("%s 已经填过了，%d 个电话不能重复。", strings.Join(repeated, "、"), rule.Phones) +
			fmt.Sprintf(txtAskPhoneN, len(f.Phones)+1, rule.Phones)
	}
	return fmt.Sprintf(txtAskPhoneN, len(f.Phones)+1, rule.Phones)
}

func answerDetails(f *Form, text string) string {
	text = strings.TrimSpace(text)
	if text == "无" || text == "没有" {
		text = ""
	}
	if n := len([]rune(text)); n > models.MaxDetails {
		return fmt.Sprintf("详细情况最多 %d 个字，现在有 %d 个字，请精简后重新输入。", models.MaxDetails, n)
	}
	f.Details = text
	f.done(fieldDetails)
	return ""
}

// back returns to the previous question and clears its answer.
func (b *Bot) back(ctx context.Context, st *models.Student, f *Form) string {
	if f.Field == fieldPhones && len(f.Phones) > 0 && !slices.Contains(f.Back, fieldPhones) {
		f.Phones = nil
		return b.ask(ctx, st, f)
	}
	if len(f.Back) == 0 {
		return txtFirstStep + "\n" + b.ask(ctx, st, f)
	}
	last := f.Back[len(f.Back)-1]
	f.Back = f.Back[:len(f.Back)-1]
	f.clear(last)
	return b.ask(ctx, st, f)
}

func (f *Form) clear(field string) {
	switch field {
	case fieldReason:
		f.Reason = ""
	case fieldCourse:
		f.CourseCode, f.CourseName, f.Choices = "", "", nil
	case fieldPhones:
		f.Phones = nil
	case fieldDetails:
		f.Details = ""
	}
}

// fix reopens one answer from the summary, named by number or label.
func (b *Bot) fix(ctx context.Context, st *models.Student, f *Form, which string) string {
	rule, _ := models.RuleFor(f.Kind)
	fields := fieldsOf(rule)
	var lines []string
	for i, fl := range fields {
		lines = append(lines, fmt.Sprintf("%d. %s", i+1, fieldLabels[fl]))
		if which == strconv.Itoa(i+1) || which == fieldLabels[fl] ||
			(fl == fieldPhones && which == "电话") || (fl == fieldReason && which == "原因") {
			f.Back = slices.DeleteFunc(f.Back, func(s string) bool { return s == fl })
			if fl == fieldPhones {
				f.Phones = nil
			}
			return b.ask(ctx, st, f)
		}
	}
	return fmt.Sprintf(txtFixWhich, strings.Join(lines, "\n"))
}
