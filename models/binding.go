package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// Identity is who a WeChat account is bound to: a student or a staff
// member, or nobody.
type Identity struct {
	Student *Student
	Staff   *Staff
}

// Bound reports whether the account is bound to anyone.
func (i Identity) Bound() bool { return i.Student != nil || i.Staff != nil }

// IdentityByOpenID returns who the WeChat account is bound to; an unbound
// account gives an empty identity and no error.
func (s *Store) IdentityByOpenID(ctx context.Context, openID string) (Identity, error) {
	var id Identity
	db := s.db.WithContext(ctx)

	var st Student
	err := db.Preload("Class").First(&st, "open_id = ?", openID).Error
	switch {
	case err == nil:
		id.Student = &st
		return id, nil
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return id, fmt.Errorf("look up student by openid: %w", err)
	}

	var sf Staff
	err = db.First(&sf, "open_id = ?", openID).Error
	switch {
	case err == nil:
		id.Staff = &sf
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return id, fmt.Errorf("look up staff by openid: %w", err)
	}
	return id, nil
}

// BindStudent binds the WeChat account to the student whose 学号 and last
// six ID characters match. It refuses with ErrNotFound on a mismatch
// without telling which of the two was wrong.
func (s *Store) BindStudent(ctx context.Context, openID, no, id6 string) (*Student, error) {
	var st Student
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Preload("Class").First(&st, "no = ?", no).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !s.secretMatches(no, id6, st.IDHash)) {
			return refuse(ErrNotFound, msgBindMismatch)
		}
		if err != nil {
			return fmt.Errorf("load student: %w", err)
		}
		if err := s.clearBinding(tx, openID); err != nil {
			return err
		}
		now := s.now()
		st.OpenID, st.BoundAt = &openID, &now
		err = tx.Model(&Student{}).Where("no = ?", no).
			Updates(map[string]any{"open_id": openID, "bound_at": now}).Error
		if err != nil {
			return fmt.Errorf("bind student: %w", err)
		}
		return s.queue(ctx, tx, Notice{Type: NoticeBound, StudentNo: no})
	})
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// BindStaff binds the WeChat account to the staff member whose 工号 and
// activation code match.
func (s *Store) BindStaff(ctx context.Context, openID, no, code string) (*Staff, error) {
	var sf Staff
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.First(&sf, "no = ?", no).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !s.secretMatches(no, code, sf.ActivationHash)) {
			return refuse(ErrNotFound, msgBindMismatch)
		}
		if err != nil {
			return fmt.Errorf("load staff: %w", err)
		}
		if err := s.clearBinding(tx, openID); err != nil {
			return err
		}
		now := s.now()
		sf.OpenID, sf.BoundAt = &openID, &now
		err = tx.Model(&Staff{}).Where("no = ?", no).
			Updates(map[string]any{"open_id": openID, "bound_at": now}).Error
		if err != nil {
			return fmt.Errorf("bind staff: %w", err)
		}
		return s.queue(ctx, tx, Notice{Type: NoticeBound, StaffNo: no})
	})
	if err != nil {
		return nil, err
	}
	return &sf, nil
}

// Unbind removes whatever binding the WeChat account has; it reports
// whether there was one.
func (s *Store) Unbind(ctx context.Context, openID string) (bool, error) {
	var had bool
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		had, err = s.clearBindingReport(tx, openID)
		return err
	})
	return had, err
}

// clearBinding frees the WeChat account from any earlier binding, so that
// one account stands for one person.
func (s *Store) clearBinding(tx *gorm.DB, openID string) error {
	_, err := s.clearBindingReport(tx, openID)
	return err
}

func (s *Store) clearBindingReport(tx *gorm.DB, openID string) (bool, error) {
	cols := map[string]any{"open_id": nil, "bound_at": nil}
	a := tx.Model(&Student{}).Where("open_id = ?", openID).Updates(cols)
	if a.Error != nil {
		return false, fmt.Errorf("unbind student: %w", a.Error)
	}
	b := tx.Model(&Staff{}).Where("open_id = ?", openID).Updates(cols)
	if b.Error != nil {
		return false, fmt.Errorf("unbind staff: %w", b.Error)
	}
	return a.RowsAffected+b.RowsAffected > 0, nil
}
