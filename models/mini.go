package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// The mini-program has openids of its own, distinct from the official
// account's: a person may bind either account, or both. These methods are
// the mini-program's counterparts of the official account's binding.

// IdentityByMiniOpenID returns who the mini-program account is bound to;
// an unbound account gives an empty identity and no error.
func (s *Store) IdentityByMiniOpenID(ctx context.Context, miniOpenID string) (Identity, error) {
	var id Identity
	db := s.db.WithContext(ctx)

	var st Student
	err := db.Preload("Class").First(&st, "mini_open_id = ?", miniOpenID).Error
	switch {
	case err == nil:
		id.Student = &st
		return id, nil
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return id, fmt.Errorf("look up student by mini-program openid: %w", err)
	}

	var sf Staff
	err = db.First(&sf, "mini_open_id = ?", miniOpenID).Error
	switch {
	case err == nil:
		id.Staff = &sf
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return id, fmt.Errorf("look up staff by mini-program openid: %w", err)
	}
	return id, nil
}

// BindStudentMini binds the mini-program account to the student whose 学号
// and last six ID characters match, and refuses a mismatch as BindStudent
// does, with ErrNotFound and the same sentence.
func (s *Store) BindStudentMini(ctx context.Context, miniOpenID, no, id6 string) (*Student, error) {
	var st Student
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Preload("Class").First(&st, "no = ?", no).Error
		if errors.Is(err, gorm.ErrRecordNotFound) ||
			(err == nil && !s.secretMatches(no, id6, st.IDHash)) {
			return refuse(ErrNotFound, msgBindMismatch)
		}
		if err != nil {
			return fmt.Errorf("load student: %w", err)
		}
		st.MiniOpenID = &miniOpenID
		return bindMini(tx, &Student{}, no, miniOpenID)
	})
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// BindStaffMini binds the mini-program account to the staff member whose
// 工号 and activation code match.
func (s *Store) BindStaffMini(ctx context.Context, miniOpenID, no, code string) (*Staff, error) {
	var sf Staff
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.First(&sf, "no = ?", no).Error
		if errors.Is(err, gorm.ErrRecordNotFound) ||
			(err == nil && !s.secretMatches(no, code, sf.ActivationHash)) {
			return refuse(ErrNotFound, msgBindMismatch)
		}
		if err != nil {
			return fmt.Errorf("load staff: %w", err)
		}
		sf.MiniOpenID = &miniOpenID
		return bindMini(tx, &Staff{}, no, miniOpenID)
	})
	if err != nil {
		return nil, err
	}
	return &sf, nil
}

// UnbindMini removes whatever binding the mini-program account has; it
// reports whether there was one.
func (s *Store) UnbindMini(ctx context.Context, miniOpenID string) (bool, error) {
	var had bool
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		had, err = clearMini(tx, miniOpenID)
		return err
	})
	return had, err
}

// MiniOpenIDOf returns the mini-program account bound to a student or
// staff member; "" when none is.
func (s *Store) MiniOpenIDOf(ctx context.Context, recipientType, no string) (string, error) {
	return s.accountOf(ctx, "mini_open_id", recipientType, no)
}

// bindMini frees the mini-program account from any earlier binding, so
// that one account stands for one person, and binds it to the student or
// staff member (model) with the number.
func bindMini(tx *gorm.DB, model any, no, miniOpenID string) error {
	if _, err := clearMini(tx, miniOpenID); err != nil {
		return err
	}
	err := tx.Model(model).Where("no = ?", no).Update("mini_open_id", miniOpenID).Error
	if err != nil {
		return fmt.Errorf("bind mini-program account: %w", err)
	}
	return nil
}

// clearMini removes the mini-program account from whoever holds it.
func clearMini(tx *gorm.DB, miniOpenID string) (bool, error) {
	a := tx.Model(&Student{}).Where("mini_open_id = ?", miniOpenID).Update("mini_open_id", nil)
	if a.Error != nil {
		return false, fmt.Errorf("unbind student's mini-program account: %w", a.Error)
	}
	b := tx.Model(&Staff{}).Where("mini_open_id = ?", miniOpenID).Update("mini_open_id", nil)
	if b.Error != nil {
		return false, fmt.Errorf("unbind staff's mini-program account: %w", b.Error)
	}
	return a.RowsAffected+b.RowsAffected > 0, nil
}
