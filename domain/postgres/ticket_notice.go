package postgres

import (
	"context"

	"github.com/uptrace/bun"

	"steward/domain"
)

// audienceSQL is, per kind of domain.Audience, the condition on users that names its members
// (the audience's ID as the argument where it has one).
var audienceSQL = map[domain.AudienceKind]string{
	domain.AudienceUser:           "id = ?",
	domain.AudienceOfficers:       "department_id = ? AND role = 'officer'",
	domain.AudienceDepartmentHead: "id IN (SELECT head_user_id FROM departments WHERE id = ?)",
	domain.AudienceDispatchers:    "role = 'dispatcher'",
	domain.AudienceBureauHeads:    "id IN (SELECT head_user_id FROM departments WHERE kind = 'bureau')",
	domain.AudienceEnterprise:     "enterprise_id = ? AND role = 'enterprise'",
}

// recipients resolves audiences to the ids of the active users they name, in order, each once.
func recipients(ctx context.Context, idb bun.IDB, to []domain.Audience) ([]string, error) {
	var out []string
	for _, au := range to {
		where, ok := audienceSQL[au.Kind]
		if !ok {
			continue
		}
		q := idb.NewSelect().Table("users").Column("id").Where("status = 'active'").OrderExpr("id")
		if au.ID != "" {
			q = q.Where(where, nullable(au.ID))
		} else if au.Kind == domain.AudienceDispatchers || au.Kind == domain.AudienceBureauHeads {
			q = q.Where(where)
		} else {
			continue // an audience of nobody: a ticket without a steward, a department without a head
		}
		var ids []string
		if err := q.Scan(ctx, &ids); err != nil {
			return nil, translate(err)
		}
		out = append(out, ids...)
	}
	return out, nil
}

// Send records a notice for everyone its audiences name, in tx (Notify says how).
func (nf *Notifier) Send(ctx context.Context, tx bun.Tx, n domain.Notice) (int, error) {
	to, err := recipients(ctx, tx, n.To)
	if err != nil {
		return 0, err
	}
	return nf.Notify(ctx, tx, n.Notification, to, n.Key)
}
