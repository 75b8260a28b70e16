package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// RequestFilter selects requests; empty fields select everything.
type RequestFilter struct {
	StudentNo string
	Kind      Kind
	Status    RequestStatus
	// Limit caps the number returned (default 100, at most 1000); AfterID
	// pages on from the last ID of the previous page.
	Limit   int
	AfterID uint64
}

// Requests returns the requests that match the filter, in order of ID, with their steps.
func (s *Store) Requests(ctx context.Context, f RequestFilter) ([]Request, error) {
	q := s.db.WithContext(ctx).Preload("Steps", func(db *gorm.DB) *gorm.DB {
		return db.Order("seq, id")
	})
	if f.StudentNo != "" {
		q = q.Where("student_no = ?", f.StudentNo)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.AfterID > 0 {
		q = q.Where("id > ?", f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)

	var out []Request
	if err := q.Order("id").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	return out, nil
}

// CountByKindStatus returns how many requests there are of each kind and
// status, for the metrics.
func (s *Store) CountByKindStatus(ctx context.Context) (map[Kind]map[RequestStatus]int64, error) {
	var rows []struct {
		Kind   Kind
		Status RequestStatus
		N      int64
	}
	err := s.db.WithContext(ctx).Model(&Request{}).
		Select("kind, status, count(*) AS n").Group("kind, status").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count requests: %w", err)
	}
	out := map[Kind]map[RequestStatus]int64{}
	for _, r := range rows {
		if out[r.Kind] == nil {
			out[r.Kind] = map[RequestStatus]int64{}
		}
		out[r.Kind][r.Status] = r.N
	}
	return out, nil
}

// StudentRequests returns the student's latest n requests that are not
// deleted, newest first, with their steps.
func (s *Store) StudentRequests(ctx context.Context, studentNo string, n int) ([]Request, error) {
	var out []Request
	err := s.db.WithContext(ctx).Preload("Steps", func(db *gorm.DB) *gorm.DB {
		return db.Order("seq, id")
	}).Where("student_no = ? AND status <> ?", studentNo, RequestDeleted).
		Order("id DESC").Limit(n).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list requests of %s: %w", studentNo, err)
	}
	return out, nil
}
