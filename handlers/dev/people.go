package dev

import (
	"context"
	"crypto/hmac"
	"fmt"
	"strings"

	"github.com/imut/xuewu/models"
)

// openIDPrefix starts the openid of every simulated person.
const openIDPrefix = "sim-"

// openIDOf is the openid of a person's simulated WeChat account.
func openIDOf(no string) string { return openIDPrefix + no }

// person is someone to choose in the simulator.
type person struct {
	No, Name string
	Student  bool
	// Group is the class of a student, the college of a staff member.
	Group string
	// CollegeCode is the person's college.
	CollegeCode string
	// AdvisorNo is the class advisor of a student.
	AdvisorNo string
	// Roles are a staff member's roles, in Chinese.
	Roles []string
	// Status is a student's status when it is not 在读, in Chinese.
	Status string
	roles  []models.Role
	// Secret is what binds the person (ID characters or activation code),
	// when the demo data knows it; empty otherwise.
	Secret string
	// Bound says the simulated account is bound to the person.
	Bound bool
}

// OpenID is the person's simulated openid.
func (p person) OpenID() string { return openIDOf(p.No) }

// hasRole reports whether a staff member holds the role.
func (p person) hasRole(r models.Role) bool {
	for _, x := range p.roles {
		if x == r {
			return true
		}
	}
	return false
}

// group is people under one heading of the list.
type group struct {
	Name   string
	People []person
}

// school is everyone the simulator offers, in groups.
type school struct {
	Students []group
	Staff    []group
	byNo     map[string]person
}

// maxPeople caps the people listed of each kind.
const maxPeople = 2000

// loadSchool reads the people of the store, grouped by class and by
// college, in the order of their codes and numbers.
func (s *Simulator) loadSchool(ctx context.Context) (*school, error) {
	db := s.cfg.Store.DB().WithContext(ctx)
	var colleges []models.College
	if err := db.Order("code").Find(&colleges).Error; err != nil {
		return nil, fmt.Errorf("list colleges: %w", err)
	}
	names := map[string]string{}
	for _, c := range colleges {
		names[c.Code] = c.Name
	}
	var students []models.Student
	err := db.Preload("Class").Order("class_code, no").Limit(maxPeople).Find(&students).Error
	if err != nil {
		return nil, fmt.Errorf("list students: %w", err)
	}
	var staff []models.Staff
	if err := db.Order("college_code, no").Limit(maxPeople).Find(&staff).Error; err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}

	sc := &school{byNo: map[string]person{}}
	for i := range students {
		sc.add(&sc.Students, s.studentPerson(&students[i]))
	}
	for i := range staff {
		sc.add(&sc.Staff, s.staffPerson(&staff[i], names[staff[i].CollegeCode]))
	}
	return sc, nil
}

// add puts p in the last group when it has p's group name, else in a new
// group.
func (sc *school) add(groups *[]group, p person) {
	sc.byNo[p.No] = p
	n := len(*groups)
	if n > 0 && (*groups)[n-1].Name == p.Group {
		(*groups)[n-1].People = append((*groups)[n-1].People, p)
		return
	}
	*groups = append(*groups, group{Name: p.Group, People: []person{p}})
}

func (s *Simulator) studentPerson(st *models.Student) person {
	p := person{No: st.No, Name: st.Name, Student: true, Group: st.ClassCode}
	if st.Class != nil {
		p.Group, p.CollegeCode, p.AdvisorNo = st.Class.Name, st.Class.CollegeCode, st.Class.AdvisorNo
	}
	p.Status = statusLabels[st.Status]
	p.Secret = s.knownSecret(st.No, st.IDHash)
	p.Bound = st.OpenID != nil && *st.OpenID == p.OpenID()
	return p
}

func (s *Simulator) staffPerson(sf *models.Staff, college string) person {
	p := person{No: sf.No, Name: sf.Name, Group: college, CollegeCode: sf.CollegeCode}
	if p.Group == "" {
		p.Group = textNoCollege
	}
	for _, r := range strings.Split(sf.Roles, ";") {
		if label, ok := roleLabels[models.Role(r)]; ok {
			p.Roles = append(p.Roles, label)
			p.roles = append(p.roles, models.Role(r))
		}
	}
	p.Secret = s.knownSecret(sf.No, sf.ActivationHash)
	p.Bound = sf.OpenID != nil && *sf.OpenID == p.OpenID()
	return p
}

// knownSecret returns the demo secret of no when it matches the stored
// hash: only the public demo data is ever shown.
func (s *Simulator) knownSecret(no, hash string) string {
	secret, ok := s.cfg.Secrets[no]
	if !ok || secret == "" {
		return ""
	}
	if !hmac.Equal([]byte(s.cfg.Store.SecretHash(no, secret)), []byte(hash)) {
		return ""
	}
	return secret
}

// contact is a staff member who signs a student's requests, for the
// quick switch beside the chat.
type contact struct {
	Role string
	person
}

// contactsOf lists the advisor, dean, office and registrar of a
// student, as far as the school has them.
func (sc *school) contactsOf(st person) []contact {
	var out []contact
	if a, ok := sc.byNo[st.AdvisorNo]; ok && st.AdvisorNo != "" {
		out = append(out, contact{Role: roleLabels[models.RoleAdvisor], person: a})
	}
	for _, r := range []models.Role{models.RoleDean, models.RoleOffice} {
		if p, ok := sc.first(r, st.CollegeCode); ok {
			out = append(out, contact{Role: roleLabels[r], person: p})
		}
	}
	if p, ok := sc.first(models.RoleRegistrar, ""); ok {
		out = append(out, contact{Role: roleLabels[models.RoleRegistrar], person: p})
	}
	return out
}

// colleaguesOf lists the dean and office of a staff member's college
// and the registrar, leaving out the staff member: whom a request goes
// to next.
func (sc *school) colleaguesOf(sf person) []contact {
	var out []contact
	for _, r := range []models.Role{models.RoleDean, models.RoleOffice} {
		if p, ok := sc.first(r, sf.CollegeCode); ok && p.No != sf.No {
			out = append(out, contact{Role: roleLabels[r], person: p})
		}
	}
	if p, ok := sc.first(models.RoleRegistrar, ""); ok && p.No != sf.No {
		out = append(out, contact{Role: roleLabels[models.RoleRegistrar], person: p})
	}
	return out
}

// first returns the first staff member with the role, in the college
// unless college is empty.
func (sc *school) first(r models.Role, college string) (person, bool) {
	for _, g := range sc.Staff {
		for _, p := range g.People {
			if p.hasRole(r) && (college == "" || p.CollegeCode == college) {
				return p, true
			}
		}
	}
	return person{}, false
}
