package models_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
)

func TestMiniProgramBinding(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)

	_, err := s.BindStudentMini(ctx, "m-student", "2023150101", "000000")
	requireRefused(t, err, models.ErrNotFound, "不匹配")
	_, err = s.BindStaffMini(ctx, "m-student", "T1579", "WRONG123")
	requireRefused(t, err, models.ErrNotFound, "不匹配")

	st, err := s.BindStudentMini(ctx, "m-student", "2023150101", "313776")
	require.NoError(t, err)
	require.Equal(t, "武杰", st.Name)
	id, err := s.IdentityByMiniOpenID(ctx, "m-student")
	require.NoError(t, err)
	require.Equal(t, "2023150101", id.Student.No)
	require.Equal(t, "15", id.Student.Class.CollegeCode)

	oa, err := s.IdentityByOpenID(ctx, "m-student")
	require.NoError(t, err)
	require.False(t, oa.Bound(), "the official account's binding is apart")
	got, err := s.OpenIDOf(ctx, models.RecipientStudent, "2023150101")
	require.NoError(t, err)
	require.Empty(t, got)
	got, err = s.MiniOpenIDOf(ctx, models.RecipientStudent, "2023150101")
	require.NoError(t, err)
	require.Equal(t, "m-student", got)

	// Binding the same account to someone else moves it.
	sf, err := s.BindStaffMini(ctx, "m-student", "T1579", "uak4zwjd")
	require.NoError(t, err)
	require.Equal(t, "T1579", sf.No)
	id, err = s.IdentityByMiniOpenID(ctx, "m-student")
	require.NoError(t, err)
	require.Nil(t, id.Student)
	require.Equal(t, "T1579", id.Staff.No)
	got, err = s.MiniOpenIDOf(ctx, models.RecipientStudent, "2023150101")
	require.NoError(t, err)
	require.Empty(t, got)

	had, err := s.UnbindMini(ctx, "m-student")
	require.NoError(t, err)
	require.True(t, had)
	had, err = s.UnbindMini(ctx, "m-student")
	require.NoError(t, err)
	require.False(t, had)
	id, err = s.IdentityByMiniOpenID(ctx, "m-student")
	require.NoError(t, err)
	require.False(t, id.Bound())
}
