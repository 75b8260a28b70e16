package models

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Store holds the database and the services every operation needs. All
// workflow operations are methods of Store; each runs in one transaction.
type Store struct {
	db *gorm.DB
	// now is the clock; tests set it to control time.
	now func() time.Time
	// outbox receives events inside their transaction; nil sends nothing.
	outbox Outbox
	// hashKey keys the hashes of ID digits and activation codes.
	hashKey []byte
}

// Outbox receives each workflow event inside the transaction that caused
// it, so that a notification is queued exactly when the change commits.
type Outbox interface {
	Enqueue(ctx context.Context, tx *gorm.DB, ev Notice) error
}

// Option changes how a Store is built.
type Option func(*Store)

// WithClock makes the store read time from now instead of time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// WithOutbox makes the store hand every event to o inside its transaction.
func WithOutbox(o Outbox) Option {
	return func(s *Store) { s.outbox = o }
}

// WithHashKey sets the key of the ID and activation-code hashes. Without it
// the store uses a random key kept in the settings table.
func WithHashKey(key []byte) Option {
	return func(s *Store) { s.hashKey = key }
}

// NewStore sets up the schema (safe when several instances start at once)
// and returns a store over db.
func NewStore(ctx context.Context, db *gorm.DB, opts ...Option) (*Store, error) {
	s := &Store{db: db, now: time.Now}
	for _, o := range opts {
		o(s)
	}

	if err := Migrate(ctx, db); err != nil {
		return nil, err
	}

	if len(s.hashKey) == 0 {
		key, err := storedHashKey(ctx, db)
		if err != nil {
			return nil, err
		}
		s.hashKey = key
	}
	return s, nil
}

// DB returns the underlying database handle.
func (s *Store) DB() *gorm.DB { return s.db }

// Now returns the store's current time.
func (s *Store) Now() time.Time { return s.now() }

// migrateLockKey is the PostgreSQL advisory lock that serialises schema set-up.
const migrateLockKey = 0x78756577 // "xuew"

// Migrate creates or updates the schema. On PostgreSQL it holds an advisory
// lock (per database schema) for the duration, so two instances starting
// at once do not collide.
func Migrate(ctx context.Context, db *gorm.DB) error {
	db = db.WithContext(ctx)
	if db.Name() != "postgres" {
		if err := db.AutoMigrate(allModels...); err != nil {
			return fmt.Errorf("migrate schema: %w", err)
		}
		return nil
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		lock := "SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))"
		if err := tx.Exec(lock, migrateLockKey).Error; err != nil {
			return fmt.Errorf("take migration lock: %w", err)
		}
		return tx.AutoMigrate(allModels...)
	})
	if err != nil {
		return fmt.Errorf("migrate schema: %w", err)
	}
	return nil
}

const hashKeySetting = "hash_key"

// storedHashKey returns the installation's hash key, creating it once.
func storedHashKey(ctx context.Context, db *gorm.DB) ([]byte, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, fmt.Errorf("make hash key: %w", err)
	}
	fresh := Setting{Name: hashKeySetting, Value: hex.EncodeToString(buf)}
	err := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&fresh).Error
	if err != nil {
		return nil, fmt.Errorf("store hash key: %w", err)
	}

	var got Setting
	if err := db.WithContext(ctx).First(&got, "name = ?", hashKeySetting).Error; err != nil {
		return nil, fmt.Errorf("load hash key: %w", err)
	}
	key, err := hex.DecodeString(got.Value)
	if err != nil {
		return nil, fmt.Errorf("decode hash key: %w", err)
	}
	return key, nil
}

// SecretHash returns the keyed hash of a secret (ID digits or an activation
// code) for the given owner. Letters compare without regard to case.
func (s *Store) SecretHash(owner, secret string) string {
	m := hmac.New(sha256.New, s.hashKey)
	m.Write([]byte(owner))
	m.Write([]byte{0})
	m.Write([]byte(strings.ToUpper(strings.TrimSpace(secret))))
	return hex.EncodeToString(m.Sum(nil))
}

// secretMatches compares a secret against its stored hash in constant time.
func (s *Store) secretMatches(owner, secret, hash string) bool {
	return hmac.Equal([]byte(s.SecretHash(owner, secret)), []byte(hash))
}

// notFound turns gorm's not-found error into ErrNotFound with context.
func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("load %s: %w", what, err)
}

// DeriveKey returns a key for another purpose (session cookies, signed
// links) derived from the installation's hash key, so that all instances
// agree on it without another setting.
func (s *Store) DeriveKey(purpose string) []byte {
	m := hmac.New(sha256.New, s.hashKey)
	m.Write([]byte("xuewu-derive:" + purpose))
	return m.Sum(nil)
}
