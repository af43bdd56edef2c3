package postgres

import (
	"context"
	"database/sql"
	"errors"

	"steward/domain"
)

// MyEnterprise answers an enterprise user's own enterprise with the steward and leader of its
// current assignment (包保): the steward's name and phone, so the enterprise can call them, and
// the leader's name only.
func (s *EnterpriseService) MyEnterprise(ctx context.Context) (*domain.MyEnterprise, error) {
	a := domain.ActorFrom(ctx)
	if a.Role != domain.RoleEnterprise || a.EnterpriseID == "" || !domain.Can(a, domain.ActRead, domain.ResEnterprise) {
		return nil, domain.Forbidden(a, "read an enterprise of their own: only enterprise users have one")
	}
	e, err := s.Enterprise(ctx, a.EnterpriseID)
	if err != nil {
		return nil, err
	}
	out := &domain.MyEnterprise{Enterprise: e}
	var who struct {
		StewardName  string `bun:"steward_name"`
		StewardPhone string `bun:"steward_phone"`
		LeaderName   string `bun:"leader_name"`
	}
	err = s.db.Bun.NewSelect().TableExpr("assignments AS asg").
		ColumnExpr("su.display_name AS steward_name, su.phone AS steward_phone, lu.display_name AS leader_name").
		Join("JOIN users su ON su.id = asg.steward_id").
		Join("JOIN users lu ON lu.id = asg.leader_id").
		Where("asg.subject_type = ?", domain.SubjectEnterprise).
		Where("asg.subject_id = ?", a.EnterpriseID).
		Where("asg.to_date IS NULL").
		OrderExpr("asg.from_date DESC, asg.id DESC").Limit(1).
		Scan(ctx, &who)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return out, nil
	case err != nil:
		return nil, translate(err)
	}
	out.Steward = &domain.Contactee{DisplayName: who.StewardName, Phone: who.StewardPhone}
	out.Leader = &domain.Contactee{DisplayName: who.LeaderName}
	return out, nil
}
