package printform_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers/printform"
	"github.com/imut/xuewu/models"
)

func TestEvidenceForListsTheReasonsDocumentsAndCountsStoredPhotos(t *testing.T) {
	t.Parallel()
	photos := []models.Evidence{
		{ID: 1, Status: models.EvidenceStored},
		{ID: 2, Status: models.EvidencePending},
		{ID: 3, Status: models.EvidenceFailed},
		{ID: 4, Status: models.EvidenceStored},
	}

	l := printform.EvidenceFor(models.KindDeferral, "事假-参赛", photos)

	require.Equal(t, []string{"赛事主办方文件", "指导教师（教练）签字的参赛人员名单"}, l.Items)
	require.Equal(t, 2, l.Photos)
	require.Equal(t, []string{"1. 赛事主办方文件", "2. 指导教师（教练）签字的参赛人员名单",
		"已上传证明照片：2 张（照片未与上列材料逐项对应，请携带原件备查）"}, l.Lines())
}

func TestEvidenceForAReasonThatNeedsNone(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		kind   models.Kind
		reason string
	}{
		{models.KindWithdrawal, "个人原因"},
		{models.KindSuspension, "no such reason"},
		{"no such kind", "生病"},
	} {
		l := printform.EvidenceFor(c.kind, c.reason, nil)
		require.Empty(t, l.Items)
		require.Equal(t, []string{"本申请原因无须附证明材料。", "已上传证明照片：0 张"}, l.Lines())
	}
}

func TestEvidenceForKeepsTheReasonsNote(t *testing.T) {
	t.Parallel()
	l := printform.EvidenceFor(models.KindSuspension, "创业", nil)
	require.Empty(t, l.Items)
	require.Contains(t, l.Lines(), "复学时须提供工商营业执照复印件，否则按普通休学认定。")
}
