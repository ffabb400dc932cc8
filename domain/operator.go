package domain

// Who acts: the roles of the people and machines that sign in, and an
// operator as the central knows them (the sign-in answer carries it; a
// workstation keeps the operators who signed in there, for offline
// sign-in).

// Role is what an authenticated caller may do.
type Role string

// Roles. A workstation is a machine credential made by `okno enrol`: it
// pushes its own window's events and pulls its office's feed.
const (
	RoleClerk       Role = "clerk"
	RoleSupervisor  Role = "supervisor"
	RoleDepartment  Role = "department"
	RoleAdmin       Role = "admin"
	RoleWorkstation Role = "workstation"
)

// Roles lists the roles a person can have.
var Roles = []Role{RoleClerk, RoleSupervisor, RoleDepartment, RoleAdmin}

// Operator is a signed-in person (or workstation) as the server knows it.
type Operator struct {
	Login  string `json:"login"`
	Name   string `json:"name,omitempty"`
	Role   Role   `json:"role"`
	Office string `json:"office"`
	Window int    `json:"window,omitempty"`
	// Department is the department a department's officer works for: the
	// name the catalogue gives the services it decides (Service.Department),
	// or AllDepartments. Empty for the other roles.
	Department string `json:"department,omitempty"`
}

// AllDepartments is the department of an officer who sees every
// department's cases.
const AllDepartments = "*"

// SeesDepartment reports whether a department's officer of department
// mine may see a case decided by department d.
func SeesDepartment(mine, d string) bool {
	return mine == AllDepartments || mine != "" && mine == d
}
