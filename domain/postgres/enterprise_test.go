package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// creditCode returns the valid credit code numbered n.
func creditCode(n int) string {
	first17 := fmt.Sprintf("91320500%09d", n)
	c, _ := domain.CreditCodeCheckChar(first17)
	return first17 + string(c)
}

func newEnterprise(n int) *domain.Enterprise {
	return &domain.Enterprise{
		Name: fmt.Sprintf("苏州测试制造有限公司%d", n), CreditCode: creditCode(n), Industry: "C",
		Scale: domain.ScaleMedium, KeyLevel: domain.KeyDistrict, Street: "金鸡湖街道",
		Tags: []string{"专精特新", " 专精特新 ", ""}, Contacts: []domain.Contact{{Name: "王经理", Phone: "13812341234"}},
	}
}

func TestEnterpriseService(t *testing.T) {
	t.Parallel()
	ctx := domain.WithActor(context.Background(), domain.System)
	setup := func(t *testing.T) *postgres.EnterpriseService {
		return postgres.NewEnterpriseService(pgtest.New(t))
	}

	t.Run("CreateNormalizesAndDuplicateCreditCodeConflicts", func(t *testing.T) {
		t.Parallel()
		s := setup(t)
		e := newEnterprise(1)
		e.CreditCode = " " + e.CreditCode + " "
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		got, err := s.Enterprise(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.CreditCode != creditCode(1) || len(got.Tags) != 1 || got.Version != 1 || got.Status != domain.EnterpriseActive {
			t.Fatalf("stored %+v", got)
		}
		if err := s.CreateEnterprise(ctx, newEnterprise(1)); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("duplicate credit code: err = %v, want conflict", err)
		}
	})

	t.Run("StaleVersionIsRefusedAndChangesNothing", func(t *testing.T) {
		t.Parallel()
		s := setup(t)
		e := newEnterprise(2)
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		name := "新名称有限公司"
		if _, err := s.UpdateEnterprise(ctx, e.ID, 1, domain.EnterprisePatch{Name: &name}); err != nil {
			t.Fatal(err)
		}
		other := "另一个名称有限公司"
		if _, err := s.UpdateEnterprise(ctx, e.ID, 1, domain.EnterprisePatch{Name: &other}); domain.ErrorCode(err) != domain.EVERSION {
			t.Fatalf("stale update: err = %v, want version_mismatch", err)
		}
		got, _ := s.Enterprise(ctx, e.ID)
		if got.Name != name || got.Version != 2 {
			t.Fatalf("after stale update: name %q version %d", got.Name, got.Version)
		}
		bad := "123"
		if _, err := s.UpdateEnterprise(ctx, e.ID, 2, domain.EnterprisePatch{CreditCode: &bad}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("bad credit code: err = %v, want validation_failed", err)
		}
	})

	t.Run("ListPagesThroughEveryMatchOnce", func(t *testing.T) {
		t.Parallel()
		s := setup(t)
		for i := 0; i < 7; i++ {
			e := newEnterprise(100 + i)
			if i%2 == 1 {
				e.KeyLevel = domain.KeyProvincial
			}
			if err := s.CreateEnterprise(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		seen := map[string]bool{}
		page := domain.Page{Limit: 3, WithTotal: true}
		for pages := 0; ; pages++ {
			l, err := s.Enterprises(ctx, domain.EnterpriseFilter{}, page)
			if err != nil {
				t.Fatal(err)
			}
			if *l.Total != 7 {
				t.Fatalf("total = %d, want 7", *l.Total)
			}
			for _, e := range l.Items {
				if seen[e.ID] {
					t.Fatalf("%s listed twice", e.ID)
				}
				seen[e.ID] = true
			}
			if l.NextCursor == "" {
				break
			}
			page.Cursor = l.NextCursor
		}
		if len(seen) != 7 {
			t.Fatalf("listed %d, want 7", len(seen))
		}
		l, err := s.Enterprises(ctx, domain.EnterpriseFilter{KeyLevel: domain.KeyProvincial}, domain.Page{})
		if err != nil || len(l.Items) != 3 {
			t.Fatalf("provincial filter: %d items, %v; want 3", len(l.Items), err)
		}
		l, err = s.Enterprises(ctx, domain.EnterpriseFilter{Q: "制造有限公司105"}, domain.Page{})
		if err != nil || len(l.Items) != 1 {
			t.Fatalf("name fragment: %d items, %v; want 1", len(l.Items), err)
		}
		l, err = s.Enterprises(ctx, domain.EnterpriseFilter{Q: creditCode(103)[:17]}, domain.Page{})
		if err != nil || len(l.Items) != 1 {
			t.Fatalf("credit code prefix: %d items, %v; want 1", len(l.Items), err)
		}
		if _, err := s.Enterprises(ctx, domain.EnterpriseFilter{}, domain.Page{Cursor: "garbage"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("bad cursor: err = %v, want validation_failed", err)
		}
	})
}
