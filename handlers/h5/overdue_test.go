package h5

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
)

func TestOverdueListForTheRegistrar(t *testing.T) {
	t.Parallel()
	e := setup(t)
	// 2023150104 is suspended; give the suspension an end that has passed.
	ended := e.clock.Now().Add(-40 * 24 * time.Hour)
	require.NoError(t, e.store.DB().Model(&models.Student{}).Where("no = ?", "2023150104").
		Updates(map[string]any{"suspended_until": ended, "suspend_reason": "因病"}).Error)

	p := e.as(openID("T1558")).get("/h5/overdue")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "邓涛（2023150104）")
	require.Contains(t, p.body, "已逾期 40 天")

	p = e.as(openID("T1579")).get("/h5/overdue")
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "学籍管理科")

	e.submit("2023150104", statusDraft(models.KindResumption, "休学期满"))
	p = e.as(openID("T1558")).get("/h5/overdue")
	require.NotContains(t, p.body, "2023150104", "a resumption filed takes the student off the list")
	require.Contains(t, p.body, "没有休学期满未复学的学生")
}
