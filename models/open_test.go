package models_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

// TestEmbeddedTransactionsWaitForEachOther writes from many transactions
// at once, each reading before it writes, as the workflow and the job
// workers do: on SQLite each must wait for the others, not fail with
// "database is locked".
func TestEmbeddedTransactionsWaitForEachOther(t *testing.T) {
	t.Parallel()
	db := modelstest.NewEmbeddedDB(t)
	require.NoError(t, models.Migrate(t.Context(), db))

	const writers = 16
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			errs <- db.WithContext(t.Context()).Transaction(func(tx *gorm.DB) error {
				var n int64
				if err := tx.Model(&models.College{}).Count(&n).Error; err != nil {
					return err
				}
				return tx.Create(&models.College{Code: string(rune('A' + i)), Name: "学院"}).Error
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	var n int64
	require.NoError(t, db.Model(&models.College{}).Count(&n).Error)
	require.EqualValues(t, writers, n)
}
