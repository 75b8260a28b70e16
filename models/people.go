package models

import (
	"context"
	"fmt"
	"time"
)

// StudentByNo returns the student with the given 学号, with the class.
func (s *Store) StudentByNo(ctx context.Context, no string) (*Student, error) {
	var st Student
	err := s.db.WithContext(ctx).Preload("Class").First(&st, "no = ?", no).Error
	if err != nil {
		return nil, notFound(err, "student "+no)
	}
	return &st, nil
}

// StaffByNo returns the staff member with the given 工号.
func (s *Store) StaffByNo(ctx context.Context, no string) (*Staff, error) {
	var st Staff
	if err := s.db.WithContext(ctx).First(&st, "no = ?", no).Error; err != nil {
		return nil, notFound(err, "staff "+no)
	}
	return &st, nil
}

// PlanCourses returns the courses of a class's training plan, by code.
func (s *Store) PlanCourses(ctx context.Context, classCode string) ([]Course, error) {
	var cs []Course
	err := s.db.WithContext(ctx).
		Joins("JOIN plan_entries ON plan_entries.course_code = courses.code").
		Where("plan_entries.class_code = ?", classCode).
		Order("courses.code").Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("load plan of class %s: %w", classCode, err)
	}
	return cs, nil
}

// StudyYear is the student's year of study at t: 1 in the first year after
// enrolment, 2 in the second, and so on.
func (st *Student) StudyYear(t time.Time) int {
	y := 1
	for !st.EnrolledOn.AddDate(y, 0, 0).After(t) {
		y++
	}
	return y
}
