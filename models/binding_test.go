package models_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
)

func TestBinding(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)

	_, err := s.BindStudent(ctx, "o-student", "2023150101", "000000")
	requireRefused(t, err, models.ErrNotFound, "不匹配")
	_, err = s.BindStudent(ctx, "o-student", "2099999999", "313776")
	requireRefused(t, err, models.ErrNotFound, "不匹配")
	id, err := s.IdentityByOpenID(ctx, "o-student")
	require.NoError(t, err)
	require.False(t, id.Bound())

	st, err := s.BindStudent(ctx, "o-student", "2023150101", "313776")
	require.NoError(t, err)
	require.Equal(t, "武杰", st.Name)
	id, err = s.IdentityByOpenID(ctx, "o-student")
	require.NoError(t, err)
	require.Equal(t, "2023150101", id.Student.No)
	require.Equal(t, "15", id.Student.Class.CollegeCode)

	_, err = s.BindStudent(ctx, "o-x", "2023150199", "60052x")
	require.NoError(t, err, "a lower-case x matches the X on file")

	sf, err := s.BindStaff(ctx, "o-staff", "T1579", "uak4zwjd")
	require.NoError(t, err)
	require.True(t, sf.HasRole(models.RoleDean))

	// Binding the same account to someone else moves it.
	_, err = s.BindStaff(ctx, "o-student", "T1593", "VFSZLYQX")
	require.NoError(t, err)
	id, err = s.IdentityByOpenID(ctx, "o-student")
	require.NoError(t, err)
	require.Nil(t, id.Student)
	require.Equal(t, "T1593", id.Staff.No)

	had, err := s.Unbind(ctx, "o-student")
	require.NoError(t, err)
	require.True(t, had)
	had, err = s.Unbind(ctx, "o-student")
	require.NoError(t, err)
	require.False(t, had)
}
