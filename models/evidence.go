package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// AddEvidence attaches a photo to the student's most recent open request
// and queues the download of its file. It returns ErrNotFound when the
// student has no open request.
func (s *Store) AddEvidence(ctx context.Context, studentNo, mediaID string) (*Request, *Evidence, error) {
	var req Request
	ev := Evidence{MediaID: mediaID, Status: EvidencePending}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("student_no = ? AND status IN ?", studentNo,
			[]RequestStatus{RequestPending, RequestReturned}).Order("id DESC").First(&req).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("open request of %s: %w", studentNo, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("find open request: %w", err)
		}
		ev.RequestID = req.ID
		if err := tx.Create(&ev).Error; err != nil {
			return fmt.Errorf("add evidence: %w", err)
		}
		return s.record(ctx, tx, Event{RequestID: req.ID, Actor: studentActor(studentNo),
			Action: "evidence", FromStatus: req.Status, ToStatus: req.Status},
			Notice{Type: NoticeEvidence, RequestID: req.ID, EvidenceID: ev.ID})
	})
	if err != nil {
		return nil, nil, err
	}
	return &req, &ev, nil
}

// EvidenceOf returns the photos of a request, oldest first.
func (s *Store) EvidenceOf(ctx context.Context, requestID uint64) ([]Evidence, error) {
	var out []Evidence
	err := s.db.WithContext(ctx).Where("request_id = ?", requestID).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load evidence of request %d: %w", requestID, err)
	}
	return out, nil
}

// EvidenceByID returns one photo record.
func (s *Store) EvidenceByID(ctx context.Context, id uint64) (*Evidence, error) {
	var ev Evidence
	if err := s.db.WithContext(ctx).First(&ev, id).Error; err != nil {
		return nil, notFound(err, fmt.Sprintf("evidence %d", id))
	}
	return &ev, nil
}

// SaveEvidenceFile records where a photo's file was stored, or that it
// could not be (status EvidenceFailed, path empty).
func (s *Store) SaveEvidenceFile(ctx context.Context, ev *Evidence) error {
	err := s.db.WithContext(ctx).Model(&Evidence{}).Where("id = ?", ev.ID).Updates(map[string]any{
		"status": ev.Status, "path": ev.Path, "content_type": ev.ContentType, "size": ev.Size,
	}).Error
	if err != nil {
		return fmt.Errorf("save evidence %d: %w", ev.ID, err)
	}
	return nil
}
