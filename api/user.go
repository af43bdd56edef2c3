package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type userBody struct {
	ID                 string     `json:"id" format:"uuid"`
	Username           string     `json:"username"`
	DisplayName        string     `json:"display_name"`
	Role               string     `json:"role" enum:"admin,dispatcher,leader,steward,officer,auditor,enterprise,integration"`
	DepartmentID       *string    `json:"department_id" format:"uuid"`
	EnterpriseID       *string    `json:"enterprise_id" format:"uuid"`
	Phone              string     `json:"phone" doc:"Masked (138****1234) unless revealed"`
	Email              string     `json:"email"`
	Status             string     `json:"status" enum:"active,locked,disabled"`
	MustChangePassword bool       `json:"must_change_password"`
	FailedLogins       int        `json:"failed_logins"`
	LockedUntil        *time.Time `json:"locked_until"`
	LastLoginAt        *time.Time `json:"last_login_at"`
	Version            int        `json:"version"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

func toUserBody(u *domain.User) userBody {
	return userBody{
		ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: string(u.Role),
		DepartmentID: optional(u.DepartmentID), EnterpriseID: optional(u.EnterpriseID), Phone: u.Phone,
		Email: u.Email, Status: string(u.Status), MustChangePassword: u.MustChangePassword,
		FailedLogins: u.FailedLogins, LockedUntil: u.LockedUntil, LastLoginAt: u.LastLoginAt,
		Version: u.Version, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
}

// directoryBody is a member of staff as a picker shows them.
type directoryBody struct {
	ID             string  `json:"id" format:"uuid"`
	DisplayName    string  `json:"display_name"`
	Role           string  `json:"role" enum:"admin,dispatcher,leader,steward,officer,auditor"`
	DepartmentID   *string `json:"department_id" format:"uuid"`
	DepartmentName string  `json:"department_name"`
}

func toDirectoryBody(e *domain.DirectoryEntry) directoryBody {
	return directoryBody{ID: e.ID, DisplayName: e.DisplayName, Role: string(e.Role),
		DepartmentID: optional(e.DepartmentID), DepartmentName: e.DepartmentName}
}

type userOutput struct {
	ETag string `header:"ETag"`
	Body userBody
}

func userOut(u *domain.User) *userOutput {
	return &userOutput{ETag: etag(u.Version), Body: toUserBody(u)}
}

const roleEnum = "admin,dispatcher,leader,steward,officer,auditor,enterprise,integration"

func registerUsers(api huma.API, svc domain.UserService) {
	tags := []string{"Users"}
	byID := func(id, op, summary, method string, errs ...int) huma.Operation {
		return huma.Operation{OperationID: op, Method: method, Path: Prefix + "/users/{id}" + id, Tags: tags,
			Summary: summary, Errors: append([]int{http.StatusForbidden, http.StatusNotFound}, errs...)}
	}
	register(api, huma.Operation{
		OperationID: "list-users", Method: http.MethodGet, Path: Prefix + "/users", Tags: tags,
		Summary: "List users by username", Errors: []int{http.StatusForbidden},
	}, func(ctx context.Context, in *struct {
		ListParams
		Role         string `query:"role" enum:"admin,dispatcher,leader,steward,officer,auditor,enterprise,integration"`
		DepartmentID string `query:"department_id" format:"uuid"`
		EnterpriseID string `query:"enterprise_id" format:"uuid"`
		Status       string `query:"status" enum:"active,locked,disabled"`
		Q            string `query:"q" maxLength:"100" doc:"A fragment of the username or display name"`
	}) (*struct{ Body listBody[userBody] }, error) {
		l, err := svc.Users(ctx, domain.UserFilter{Role: domain.Role(in.Role), DepartmentID: in.DepartmentID,
			EnterpriseID: in.EnterpriseID, Status: domain.UserStatus(in.Status), Q: in.Q}, in.page())
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[userBody] }{toListBody(l, toUserBody)}, nil
	})

	register(api, huma.Operation{
		OperationID: "list-directory", Method: http.MethodGet, Path: Prefix + "/directory", Tags: tags,
		Summary: "The staff directory, for pickers",
		Description: "Names, roles and departments of the staff who are not disabled, by name; any staff role may read it. " +
			"No phone numbers, e-mail addresses or usernames, and no enterprise users or integrations.",
		Errors: []int{http.StatusForbidden},
	}, func(ctx context.Context, in *struct {
		ListParams
		Role         string `query:"role" enum:"admin,dispatcher,leader,steward,officer,auditor"`
		DepartmentID string `query:"department_id" format:"uuid"`
		Q            string `query:"q" maxLength:"100" doc:"A fragment of the name"`
	}) (*struct{ Body listBody[directoryBody] }, error) {
		l, err := svc.Directory(ctx, domain.DirectoryFilter{Role: domain.Role(in.Role), DepartmentID: in.DepartmentID, Q: in.Q}, in.page())
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[directoryBody] }{toListBody(l, toDirectoryBody)}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-user", Method: http.MethodPost, Path: Prefix + "/users", Tags: tags,
		Summary: "Create a user; they must change the password at first login", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Body struct {
			Username     string `json:"username" minLength:"2" maxLength:"32" example:"steward7"`
			DisplayName  string `json:"display_name" minLength:"1" maxLength:"50" example:"李明"`
			Role         string `json:"role" enum:"admin,dispatcher,leader,steward,officer,auditor,enterprise,integration"`
			DepartmentID string `json:"department_id,omitempty" format:"uuid"`
			EnterpriseID string `json:"enterprise_id,omitempty" format:"uuid"`
			Phone        string `json:"phone,omitempty" maxLength:"30"`
			Email        string `json:"email,omitempty" maxLength:"200"`
			Password     string `json:"password" maxLength:"200" doc:"At least 8 characters of 3 kinds, not a common password"`
		}
	}) (*userOutput, error) {
		b := in.Body
		u := &domain.User{Username: b.Username, DisplayName: b.DisplayName, Role: domain.Role(b.Role),
			DepartmentID: b.DepartmentID, EnterpriseID: b.EnterpriseID, Phone: b.Phone, Email: b.Email}
		if err := svc.CreateUser(ctx, u, b.Password, true); err != nil {
			return nil, err
		}
		return userOut(u.Masked()), nil
	})

	register(api, byID("", "get-user", "Get a user", http.MethodGet), func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*userOutput, error) {
		u, err := svc.User(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return userOut(u), nil
	})

	register(api, byID("", "update-user", "Change a user; disabling ends their sessions", http.MethodPatch,
		http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity),
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
			IfMatchHeader
			Body struct {
				DisplayName  *string `json:"display_name,omitempty" minLength:"1" maxLength:"50"`
				Role         *string `json:"role,omitempty" enum:"admin,dispatcher,leader,steward,officer,auditor,enterprise,integration"`
				DepartmentID *string `json:"department_id,omitempty" doc:"A department id, or \"\" for none"`
				EnterpriseID *string `json:"enterprise_id,omitempty" doc:"An enterprise id, or \"\" for none"`
				Phone        *string `json:"phone,omitempty" maxLength:"30"`
				Email        *string `json:"email,omitempty" maxLength:"200"`
				Status       *string `json:"status,omitempty" enum:"active,disabled"`
			}
		}) (*userOutput, error) {
			version, err := in.version()
			if err != nil {
				return nil, err
			}
			b := in.Body
			u, err := svc.UpdateUser(ctx, in.ID, version, domain.UserPatch{
				DisplayName: b.DisplayName, Role: (*domain.Role)(b.Role), DepartmentID: b.DepartmentID,
				EnterpriseID: b.EnterpriseID, Phone: b.Phone, Email: b.Email, Status: (*domain.UserStatus)(b.Status),
			})
			if err != nil {
				return nil, err
			}
			return userOut(u), nil
		})

	register(api, byID("/unlock", "unlock-user", "Unlock a user locked by failed logins", http.MethodPost),
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*userOutput, error) {
			u, err := svc.UnlockUser(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return userOut(u), nil
		})

	register(api, byID("/reset-password", "reset-user-password",
		"Set a new password the user must change at next login; ends their sessions", http.MethodPost, http.StatusUnprocessableEntity),
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body struct {
				Password string `json:"password" maxLength:"200"`
			}
		}) (*userOutput, error) {
			u, err := svc.ResetPassword(ctx, in.ID, in.Body.Password)
			if err != nil {
				return nil, err
			}
			return userOut(u), nil
		})

	register(api, byID("/reveal", "reveal-user", "Show a user's phone number unmasked (audited)", http.MethodPost),
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*userOutput, error) {
			u, err := svc.RevealUser(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return userOut(u), nil
		})
}
