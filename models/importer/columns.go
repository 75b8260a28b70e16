package importer

// Column headers and the values operators write in the tables, exactly as
// the spec gives them. This file holds all the Chinese the package knows.
const (
	colCollegeCode   = "学院代码"
	colCollegeName   = "学院名称"
	colClassCode     = "班级代码"
	colClassName     = "班级名称"
	colMajor         = "专业"
	colGrade         = "年级"
	colLevel         = "层次"
	colAdvisorNo     = "班主任工号"
	colStaffNo       = "工号"
	colName          = "姓名"
	colRoles         = "角色"
	colActivation    = "激活码"
	colStudentNo     = "学号"
	colGender        = "性别"
	colEnrolledOn    = "入学日期"
	colStatus        = "学籍状态"
	colIDLastSix     = "身份证后六位"
	colCourseCode    = "课程代码"
	colCourseName    = "课程名称"
	colCredits       = "学分"
	colCourseCollege = "开课学院代码"
	colTeacherNo     = "任课教师工号"
)

// columns lists the header each table must have, in the spec's order.
var columns = map[Table][]string{
	TableColleges: {colCollegeCode, colCollegeName},
	TableClasses: {colClassCode, colClassName, colCollegeCode, colMajor, colGrade,
		colLevel, colAdvisorNo},
	TableStaff: {colStaffNo, colName, colCollegeCode, colRoles, colActivation},
	TableStudents: {colStudentNo, colName, colGender, colClassCode, colEnrolledOn,
		colStatus, colIDLastSix},
	TableCourses: {colCourseCode, colCourseName, colCredits, colCourseCollege, colTeacherNo},
	TablePlans:   {colClassCode, colCourseCode},
}

// roleSeparators are the characters that may join roles in the 角色 column.
const roleSeparators = ";；、"

// roleNames lists the 角色 values models.ParseRole accepts, for messages.
const roleNames = "班主任, 主管院长, 教学科研服务中心, 学籍管理科, 任课教师, 管理员"

// advisorRole is the 角色 value of a class advisor, for messages.
const advisorRole = "班主任"
