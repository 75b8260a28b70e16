package modelstest

import (
	"context"
	"testing"
	"time"

	"github.com/imut/xuewu/models"
)

// Secrets of the seeded people, as a student or staff member would type
// them when binding.
var (
	StudentIDs = map[string]string{
		"2023150101": "313776", "2023150102": "466040", "2023150104": "477931",
		"2025140101": "220269", "2024150101": "950002", "2023150199": "60052X",
	}
	ActivationCodes = map[string]string{
		"T1554": "DPCF54ER", "T1556": "QD3DQCJU", "T1558": "VMGNZGED", "T1574": "T8EDV6U2",
		"T1579": "UAK4ZWJD", "T1586": "G83DNEP6", "T1593": "VFSZLYQX", "T1599": "FH2N8M5X",
		"T1592": "YZ8HH978", "T1662": "6T2PPEFK", "T1671": "THZQ993B", "T1696": "G7FCAJQC",
	}
)

// Seed fills the store with a small school, a part of the fixture school:
// colleges 14 (预科), 15 (机械) and 17 (电力), their deans and offices, a
// registrar, advisors, teachers, students of every status, and plans.
func Seed(t testing.TB, s *models.Store) {
	t.Helper()
	db := s.DB().WithContext(context.Background())
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed school: %v", err)
		}
	}

	must(db.Create([]models.College{
		{Code: "14", Name: "预科教育学院"}, {Code: "15", Name: "机械工程学院"},
		{Code: "17", Name: "电力学院"},
	}).Error)
	must(db.Create([]models.Class{
		{Code: "142501", Name: "预科25-1班", CollegeCode: "14", Major: "预科", Grade: 2025,
			Level: models.LevelPrep, AdvisorNo: "T1574"},
		{Code: "152301", Name: "机械设计制造及其自动化23-1班", CollegeCode: "15",
			Major: "机械设计制造及其自动化", Grade: 2023, Level: models.LevelUndergraduate,
			AdvisorNo: "T1593"},
		{Code: "152401", Name: "机械设计制造及其自动化24-1班", CollegeCode: "15",
			Major: "机械设计制造及其自动化", Grade: 2024, Level: models.LevelUndergraduate,
			AdvisorNo: "T1599"},
	}).Error)

	staff := []models.Staff{
		{No: "T1554", Name: "孙敏琪", CollegeCode: "14", Roles: "dean"},
		{No: "T1556", Name: "崔宇", CollegeCode: "14", Roles: "office"},
		{No: "T1558", Name: "侯燕", CollegeCode: "14", Roles: "registrar;admin"},
		{No: "T1574", Name: "顾芳玲", CollegeCode: "14", Roles: "advisor;teacher"},
		{No: "T1579", Name: "范玉玉", CollegeCode: "15", Roles: "dean"},
		{No: "T1586", Name: "郑刚", CollegeCode: "15", Roles: "office"},
		{No: "T1593", Name: "史帆", CollegeCode: "15", Roles: "advisor"},
		{No: "T1599", Name: "孙玲玉", CollegeCode: "15", Roles: "advisor;teacher"},
		{No: "T1592", Name: "廖丽洋", CollegeCode: "15", Roles: "teacher"},
		{No: "T1662", Name: "戴英军", CollegeCode: "17", Roles: "dean"},
		{No: "T1671", Name: "郑燕", CollegeCode: "17", Roles: "office"},
		{No: "T1696", Name: "陶军帅", CollegeCode: "17", Roles: "teacher"},
	}
	for i := range staff {
		staff[i].ActivationHash = s.SecretHash(staff[i].No, ActivationCodes[staff[i].No])
	}
	must(db.Create(staff).Error)

	enrolled := func(y int) time.Time { return time.Date(y, 9, 1, 0, 0, 0, 0, time.UTC) }
	students := []models.Student{
		{No: "2023150101", Name: "武杰", Gender: "女", ClassCode: "152301",
			EnrolledOn: enrolled(2023), Status: models.StatusEnrolled},
		{No: "2023150102", Name: "刘芬超", Gender: "男", ClassCode: "152301",
			EnrolledOn: enrolled(2023), Status: models.StatusEnrolled},
		{No: "2023150104", Name: "邓涛", Gender: "女", ClassCode: "152301",
			EnrolledOn: enrolled(2023), Status: models.StatusSuspended},
		{No: "2025140101", Name: "胡敏娟", Gender: "女", ClassCode: "142501",
			EnrolledOn: enrolled(2025), Status: models.StatusEnrolled},
		{No: "2024150101", Name: "梁芳", Gender: "男", ClassCode: "152401",
			EnrolledOn: enrolled(2024), Status: models.StatusEnrolled},
		{No: "2023150199", Name: "尹琪诺", Gender: "男", ClassCode: "152301",
			EnrolledOn: enrolled(2023), Status: models.StatusWithdrawn},
	}
	for i := range students {
		students[i].IDHash = s.SecretHash(students[i].No, StudentIDs[students[i].No])
	}
	must(db.Create(students).Error)

	must(db.Create([]models.Course{
		{Code: "140152", Name: "预科数学", Credits: 4, CollegeCode: "14", TeacherNo: "T1574"},
		{Code: "150165", Name: "材料力学", Credits: 4, CollegeCode: "15", TeacherNo: "T1592"},
		{Code: "150169", Name: "电路原理（一）", Credits: 4, CollegeCode: "15", TeacherNo: "T1599"},
		{Code: "000196", Name: "体育", Credits: 1, CollegeCode: "17", TeacherNo: "T1696"},
		{Code: "000202", Name: "军事理论", Credits: 2, CollegeCode: "17", TeacherNo: "T1696"},
		{Code: "000208", Name: "高等数学", Credits: 5, CollegeCode: "15", TeacherNo: "T1599"},
	}).Error)
	plan := []models.PlanEntry{{ClassCode: "142501", CourseCode: "140152"}}
	for _, class := range []string{"152301", "152401"} {
		for _, c := range []string{"150165", "150169", "000196", "000202", "000208"} {
			plan = append(plan, models.PlanEntry{ClassCode: class, CourseCode: c})
		}
	}
	must(db.Create(plan).Error)
}
