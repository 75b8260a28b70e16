package models_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

func TestInstancesStartingAtOnceShareOneSchema(t *testing.T) {
	t.Parallel()
	url := modelstest.NewDatabase(t)
	var wg sync.WaitGroup
	stores := make([]*models.Store, 4)
	errs := make([]error, 4)
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := models.Open(url, "", slog.New(slog.DiscardHandler))
			if err != nil {
				errs[i] = err
				return
			}
			stores[i], errs[i] = models.NewStore(context.Background(), db)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	// They agree on the hash key, so a secret stored by one matches in another.
	require.Equal(t, stores[0].SecretHash("2023150101", "313776"),
		stores[3].SecretHash("2023150101", "313776"))
}
