package importer

import (
	"slices"
	"strings"

	"github.com/imut/xuewu/models"
)

// check reports references to colleges, classes, staff and courses that
// exist neither in the database nor in the run, and advisors who would not
// hold the advisor role once the run is written.
func check(b *batch, old *existing, p *problems) {
	ref := newRefs(b, old)
	for _, it := range b.classes {
		ref.college(p, it.at, it.v.CollegeCode)
		ref.advisor(p, it.at, it.v.AdvisorNo)
	}
	for _, it := range b.staff {
		ref.college(p, it.at, it.v.CollegeCode)
	}
	for _, it := range b.students {
		ref.class(p, it.at, it.v.ClassCode)
	}
	for _, it := range b.courses {
		ref.college(p, it.at, it.v.CollegeCode)
		ref.teacher(p, it.at, it.v.TeacherNo)
	}
	for _, it := range b.plans {
		ref.class(p, it.at, it.v.ClassCode)
		ref.course(p, it.at, it.v.CourseCode)
	}
	checkAdvisorsKeepRole(b, old, p)
}

// refs holds the keys that exist once the run is written: the database's
// overlaid with the run's.
type refs struct {
	colleges, classes, courses map[string]bool
	// roles maps each staff 工号 to its stored roles.
	roles map[string]string
}

func newRefs(b *batch, old *existing) *refs {
	r := &refs{
		colleges: keys(old.colleges), classes: keys(old.classes), courses: keys(old.courses),
		roles: map[string]string{},
	}
	for no, st := range old.staff {
		r.roles[no] = st.Roles
	}
	for _, it := range b.colleges {
		r.colleges[it.v.Code] = true
	}
	for _, it := range b.classes {
		r.classes[it.v.Code] = true
	}
	for _, it := range b.courses {
		r.courses[it.v.Code] = true
	}
	for _, it := range b.staff {
		r.roles[it.v.No] = it.v.Roles
	}
	return r
}

func keys[T any](m map[string]T) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// Each check below ignores an empty value: an empty required cell has
// been reported already, and an empty optional one refers to nothing.

func (r *refs) college(p *problems, at pos, code string) {
	if code != "" && !r.colleges[code] {
		p.add(at, "unknown college code %q", code)
	}
}

func (r *refs) class(p *problems, at pos, code string) {
	if code != "" && !r.classes[code] {
		p.add(at, "unknown class code %q", code)
	}
}

func (r *refs) course(p *problems, at pos, code string) {
	if code != "" && !r.courses[code] {
		p.add(at, "unknown course code %q", code)
	}
}

func (r *refs) teacher(p *problems, at pos, no string) {
	if _, ok := r.roles[no]; no != "" && !ok {
		p.add(at, "unknown teacher %s %q", colStaffNo, no)
	}
}

// advisor checks that a class's advisor exists and holds the advisor role,
// without which no one could decide the class's first approval step.
func (r *refs) advisor(p *problems, at pos, no string) {
	roles, ok := r.roles[no]
	switch {
	case no == "":
	case !ok:
		p.add(at, "unknown advisor %s %q", colStaffNo, no)
	case !(&models.Staff{Roles: roles}).HasRole(models.RoleAdvisor):
		p.add(at, "advisor %q does not hold the role %s", no, advisorRole)
	}
}

// checkAdvisorsKeepRole reports staff rows that drop the advisor role of
// someone who still advises a class the run leaves as it is.
func checkAdvisorsKeepRole(b *batch, old *existing, p *problems) {
	inRun := map[string]bool{}
	for _, it := range b.classes {
		inRun[it.v.Code] = true
	}
	advised := map[string][]string{}
	for code, cl := range old.classes {
		if !inRun[code] && cl.AdvisorNo != "" {
			advised[cl.AdvisorNo] = append(advised[cl.AdvisorNo], code)
		}
	}

	for _, it := range b.staff {
		classes := advised[it.v.No]
		if len(classes) == 0 || it.v.HasRole(models.RoleAdvisor) {
			continue
		}
		slices.Sort(classes)
		p.add(it.at, "%s lacks %s, but %q advises class %s", colRoles, advisorRole,
			it.v.No, strings.Join(classes, ", "))
	}
}
