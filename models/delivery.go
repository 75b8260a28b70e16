package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DeliveryStatus says where one outgoing notice stands.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliverySent DeliveryStatus = "sent"
	// DeliveryWaiting: the recipient is not bound yet; it goes out on binding.
	DeliveryWaiting DeliveryStatus = "waiting_bind"
	// DeliveryFailed: WeChat refused it for good (e.g. unsubscribed).
	DeliveryFailed DeliveryStatus = "failed"
)

// Recipient kinds of a delivery.
const (
	RecipientStudent = "student"
	RecipientStaff   = "staff"
)

// Delivery is one notice to one person, recorded against its request so
// that a retry never sends it twice and the audit shows what went out.
type Delivery struct {
	ID uint64 `gorm:"primaryKey"`
	// Key identifies the notice and recipient; a retry uses the same key.
	Key           string `gorm:"size:128;not null;uniqueIndex"`
	RequestID     uint64 `gorm:"index"`
	RecipientType string `gorm:"size:8;not null;index:idx_delivery_recipient,priority:1"`
	RecipientNo   string `gorm:"size:32;not null;index:idx_delivery_recipient,priority:2"`
	// Purpose is the notice type or reminder kind.
	Purpose string `gorm:"size:32;not null"`
	// Title, Body and URL are the message as composed, kept for sending
	// later to a recipient who binds.
	Title     string         `gorm:"size:128"`
	Body      string         `gorm:"size:2048"`
	URL       string         `gorm:"size:256"`
	Status    DeliveryStatus `gorm:"size:16;not null;index"`
	Error     string         `gorm:"size:256"`
	SentAt    *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DeliveryByKey returns the delivery with the key, or ErrNotFound.
func (s *Store) DeliveryByKey(ctx context.Context, key string) (*Delivery, error) {
	var d Delivery
	if err := s.db.WithContext(ctx).First(&d, "key = ?", key).Error; err != nil {
		return nil, notFound(err, "delivery "+key)
	}
	return &d, nil
}

// SaveDelivery records a delivery's outcome, by key.
func (s *Store) SaveDelivery(ctx context.Context, d *Delivery) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"status", "error", "sent_at", "updated_at"}),
	}).Create(d).Error
	if err != nil {
		return fmt.Errorf("save delivery %s: %w", d.Key, err)
	}
	return nil
}

// WaitingDeliveries returns the deliveries waiting for the recipient to
// bind, oldest first.
func (s *Store) WaitingDeliveries(ctx context.Context, recipientType, no string) ([]Delivery, error) {
	var out []Delivery
	err := s.db.WithContext(ctx).Where("recipient_type = ? AND recipient_no = ? AND status = ?",
		recipientType, no, DeliveryWaiting).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load waiting deliveries of %s: %w", no, err)
	}
	return out, nil
}

// DeliveriesOf returns what was sent about a request, oldest first.
func (s *Store) DeliveriesOf(ctx context.Context, requestID uint64) ([]Delivery, error) {
	var out []Delivery
	err := s.db.WithContext(ctx).Where("request_id = ?", requestID).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load deliveries of request %d: %w", requestID, err)
	}
	return out, nil
}

// OpenIDOf returns the WeChat account bound to a student or staff member;
// "" when none is.
func (s *Store) OpenIDOf(ctx context.Context, recipientType, no string) (string, error) {
	return s.accountOf(ctx, "open_id", recipientType, no)
}

// accountOf reads one account column (open_id or mini_open_id) of a
// student or staff member; "" when it is empty or the person unknown.
func (s *Store) accountOf(ctx context.Context, column, recipientType, no string) (string, error) {
	var openID *string
	q := s.db.WithContext(ctx).Select(column)
	var err error
	if recipientType == RecipientStudent {
		err = q.Model(&Student{}).Where("no = ?", no).Scan(&openID).Error
	} else {
		err = q.Model(&Staff{}).Where("no = ?", no).Scan(&openID).Error
	}
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return "", fmt.Errorf("look up %s of %s: %w", column, no, err)
	}
	if openID == nil {
		return "", nil
	}
	return *openID, nil
}
